package dev.ferry.map;

import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkCoder;
import dev.ferry.record.ChunkSink;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Record;
import dev.ferry.record.RowJson;
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
 * Applies a {@link RecordMapper} to every row of every chunk. A row the mapping rejects moves to
 * the chunk's dead letters with the column and reason, so the chunk's checkpoint still accounts
 * for it and the rest of the chunk goes on.
 */
public final class MapChunks extends PTransform<PCollection<Chunk>, PCollection<Chunk>> {
  private final RecordMapper mapper;
  private final List<String> sourceKeyColumns;
  private final String tableName;

  private MapChunks(RecordMapper mapper, List<String> sourceKeyColumns, String tableName) {
    this.mapper = mapper;
    this.sourceKeyColumns = sourceKeyColumns;
    this.tableName = tableName;
  }

  /** {@code sourceKeyColumns} name the key in dead letters; {@code tableName} in messages. */
  public static MapChunks with(RecordMapper mapper, List<String> sourceKeyColumns,
      String tableName) {
    for (String k : sourceKeyColumns) {
      mapper.sourceLayout().indexOf(k);
    }
    return new MapChunks(mapper, List.copyOf(sourceKeyColumns), tableName);
  }

  /** This mapping as a step of a {@link ChunkSink}: each chunk is mapped, then goes to next. */
  public ChunkSink then(ChunkSink next) {
    return new MapThen(new MapFn(mapper, sourceKeyColumns, tableName),
        Objects.requireNonNull(next, "next"));
  }

  @Override
  public PCollection<Chunk> expand(PCollection<Chunk> chunks) {
    return chunks
        .apply("MapRows", ParDo.of(new MapFn(mapper, sourceKeyColumns, tableName)))
        .setCoder(ChunkCoder.of());
  }

  private static final class MapFn extends DoFn<Chunk, Chunk> {
    private final RecordMapper mapper;
    private final List<String> keyColumns;
    private final String tableName;
    private final Counter rejectedRows = Metrics.counter(MapChunks.class, "rowsRejectedOnMap");
    private transient int[] keyIndexes;

    MapFn(RecordMapper mapper, List<String> keyColumns, String tableName) {
      this.mapper = mapper;
      this.keyColumns = keyColumns;
      this.tableName = tableName;
    }

    @Setup
    public void setup() {
      keyIndexes = mapper.sourceLayout().indexesOf(keyColumns);
    }

    @ProcessElement
    public void process(@Element Chunk chunk, OutputReceiver<Chunk> out) {
      out.output(map(chunk));
    }

    Chunk map(Chunk chunk) {
      if (chunk.copyText() != null) {
        // COPY text rows are only read for a mapping that changes nothing; see ReadRanges.
        if (!mapper.isIdentity()) {
          throw new IllegalStateException("table " + tableName + ": rows read as COPY text"
              + " cannot go through a mapping with rules");
        }
        return chunk;
      }
      List<Record> kept = new ArrayList<>(chunk.source().size());
      List<Record> mapped = new ArrayList<>(chunk.source().size());
      List<DeadLetter> rejected = new ArrayList<>(chunk.rejected());
      for (Record row : chunk.source()) {
        try {
          mapped.add(new Record(mapper.map(row.values())));
          kept.add(row);
        } catch (MappingException e) {
          Object[] key = new Object[keyIndexes.length];
          for (int i = 0; i < key.length; i++) {
            key[i] = row.get(keyIndexes[i]);
          }
          rejected.add(new DeadLetter(KeyCodec.readable(keyColumns, key), DeadLetter.Stage.MAP,
              e.column(), "table " + tableName + ", " + e.getMessage(),
              RowJson.render(mapper.sourceLayout(), row.values())));
          rejectedRows.inc();
        }
      }
      return chunk.mapped(kept, mapped, rejected);
    }
  }

  /** Maps each chunk and hands it on. */
  private record MapThen(MapFn map, ChunkSink next) implements ChunkSink {
    private static final long serialVersionUID = 1L;

    @Override
    public void setup() throws Exception {
      map.setup();
      next.setup();
    }

    @Override
    public void accept(Chunk chunk) throws Exception {
      next.accept(map.map(chunk));
    }

    @Override
    public void teardown() {
      next.teardown();
    }
  }
}
