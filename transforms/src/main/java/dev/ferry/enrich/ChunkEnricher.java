package dev.ferry.enrich;

import dev.ferry.map.MappingException;
import dev.ferry.record.Chunk;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import dev.ferry.record.RowJson;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Enriches the mapped rows of one chunk, whichever strategy found their matches, so both
 * strategies give the same chunks. A row the lookup rejects moves to the chunk's dead letters,
 * as a rejected mapping does, so the chunk's checkpoint still accounts for it.
 */
final class ChunkEnricher implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The distinct lookup rows matching the chunk's row at a position. */
  @FunctionalInterface
  interface Matches {
    Collection<Record> of(int row);
  }

  private final Lookup lookup;
  private final Layout sourceLayout;
  private final List<String> sourceKeyColumns;
  private final String tableName;
  private final Counter enriched = Metrics.counter(EnrichChunks.class, "rowsEnriched");
  private final Counter unmatched = Metrics.counter(EnrichChunks.class, "rowsWithoutMatch");
  private final Counter rejected = Metrics.counter(EnrichChunks.class, "rowsRejectedOnLookup");
  private transient int[] sourceKeyIndexes;

  ChunkEnricher(Lookup lookup, Layout sourceLayout, List<String> sourceKeyColumns,
      String tableName) {
    this.lookup = lookup;
    this.sourceLayout = sourceLayout;
    this.sourceKeyColumns = sourceKeyColumns;
    this.tableName = tableName;
  }

  Lookup lookup() {
    return lookup;
  }

  Chunk enrich(Chunk chunk, Matches matches) {
    if (sourceKeyIndexes == null) {
      sourceKeyIndexes = sourceLayout.indexesOf(sourceKeyColumns);
    }
    List<Record> kept = new ArrayList<>(chunk.source().size());
    List<Record> out = new ArrayList<>(chunk.source().size());
    List<DeadLetter> dead = new ArrayList<>(chunk.rejected());
    for (int r = 0; r < chunk.target().size(); r++) {
      Record source = chunk.source().get(r);
      Collection<Record> found = matches.of(r);
      try {
        out.add(new Record(lookup.apply(chunk.target().get(r).values(), found)));
        kept.add(source);
        (found.isEmpty() ? unmatched : enriched).inc();
      } catch (MappingException e) {
        dead.add(deadLetter(source, e));
        rejected.inc();
      } catch (IllegalStateException e) {
        throw new IllegalStateException("table " + tableName + ", row "
            + readableKey(source) + ": " + e.getMessage(), e);
      }
    }
    return chunk.mapped(kept, out, dead);
  }

  private DeadLetter deadLetter(Record source, MappingException e) {
    return new DeadLetter(readableKey(source), DeadLetter.Stage.MAP, e.column(),
        "table " + tableName + ", " + e.getMessage(), RowJson.render(sourceLayout,
            source.values()));
  }

  private String readableKey(Record source) {
    Object[] key = new Object[sourceKeyIndexes.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = source.get(sourceKeyIndexes[i]);
    }
    return KeyCodec.readable(sourceKeyColumns, key);
  }
}
