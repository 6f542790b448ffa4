package dev.ferry.reconcile;

import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkCoder;
import dev.ferry.record.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads the source rows of batches of canonical keys as {@link Chunk}s, ready for the backfill's
 * {@code MapChunks} and {@code WriteChunks}: this is how a repair re-copies only the keys that
 * differ. Each batch becomes one chunk, hence one write transaction. A key that no longer exists
 * on the source yields no row.
 */
public final class ReadRowsByKey extends PTransform<PCollection<List<String>>, PCollection<Chunk>> {
  private final ReconcileSide source;
  private final RowCanonicalizer canonicalizer;

  private ReadRowsByKey(ReconcileSide source, RowCanonicalizer canonicalizer) {
    this.source = source;
    this.canonicalizer = canonicalizer;
  }

  public static ReadRowsByKey from(ReconcileSide source, RowCanonicalizer canonicalizer) {
    if (!Objects.requireNonNull(source, "source").hasLookupKey()) {
      throw new IllegalArgumentException("rows of " + source.displayName() + " cannot be found"
          + " by the target key: the mapping computes the key instead of copying it");
    }
    return new ReadRowsByKey(source, Objects.requireNonNull(canonicalizer, "canonicalizer"));
  }

  @Override
  public PCollection<Chunk> expand(PCollection<List<String>> keyBatches) {
    return keyBatches.apply("ReadSourceRows", ParDo.of(new ReadFn(source, canonicalizer)))
        .setCoder(ChunkCoder.of());
  }

  private static final class ReadFn extends DoFn<List<String>, Chunk> {
    private final ReconcileSide source;
    private final RowCanonicalizer canonicalizer;
    private final Counter rowsRead = Metrics.counter(ReconcileFacts.NAMESPACE,
        "repairRowsRead");
    private transient KeyLookup lookup;

    ReadFn(ReconcileSide source, RowCanonicalizer canonicalizer) {
      this.source = source;
      this.canonicalizer = canonicalizer;
    }

    @Setup
    public void setup() {
      lookup = new KeyLookup(source);
    }

    @ProcessElement
    public void process(@Element List<String> keys, OutputReceiver<Chunk> out) throws Exception {
      List<Object[]> values = new ArrayList<>(keys.size());
      for (String key : keys) {
        values.add(canonicalizer.decodeKey(key));
      }
      List<Record> rows = new ArrayList<>();
      for (Object[] row : lookup.readRows(values)) {
        rows.add(new Record(row));
      }
      rowsRead.inc(rows.size());
      // Not part of a planned range: the checkpoint this chunk would advance does not exist.
      out.output(new Chunk(-1, 1, true, null, rows.size(), rows, null, List.of()));
    }
  }
}
