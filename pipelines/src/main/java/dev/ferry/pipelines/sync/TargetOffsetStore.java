package dev.ferry.pipelines.sync;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's offset store for ferry sync: it starts from the position stored in the target's
 * {@code ferry_sync} row and keeps the rest in memory. The position that counts is written by the
 * applier in the same transaction as the changes ({@link SyncState#save}); Debezium's own
 * periodic offset commits land here and are only used while the process lives, so a crash
 * resumes from the target's row, never from a position ahead of what the target holds.
 */
public final class TargetOffsetStore extends MemoryOffsetBackingStore {
  /** The engine property naming the entry of {@link #STARTS} to start from. */
  static final String START_KEY = "ferry.sync.start";
  private static final Map<String, SyncState.Position> STARTS = new ConcurrentHashMap<>();

  private String engineName;
  private String startKey;

  /** Hands the stored position to the store the engine is about to create. */
  static void register(String key, SyncState.Position position) {
    STARTS.put(key, position);
  }

  static void unregister(String key) {
    STARTS.remove(key);
  }

  @Override
  public void configure(WorkerConfig config) {
    super.configure(config);
    Map<String, String> props = config.originalsStrings();
    engineName = props.get("name");
    startKey = props.get(START_KEY);
  }

  /** Only Kafka Connect's REST API asks for a connector's partitions; the engine does not. */
  @Override
  public Set<Map<String, Object>> connectorPartitions(String connectorName) {
    return Set.of();
  }

  @Override
  public synchronized void start() {
    super.start();
    SyncState.Position start = startKey == null ? null : STARTS.get(startKey);
    if (start == null) {
      return;
    }
    // The same serialization as Kafka Connect's OffsetStorageWriter, which the engine's offset
    // reader looks keys up by: [engine name, partition] and the offset, as schemaless JSON.
    JsonConverter keys = new JsonConverter();
    keys.configure(Map.of("schemas.enable", "false"), true);
    JsonConverter values = new JsonConverter();
    values.configure(Map.of("schemas.enable", "false"), false);
    byte[] key = keys.fromConnectData(engineName, null,
        Arrays.asList(engineName, start.partition));
    byte[] value = values.fromConnectData(engineName, null, start.offset);
    data.put(ByteBuffer.wrap(key), ByteBuffer.wrap(value));
  }
}
