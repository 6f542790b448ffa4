package dev.ferry.fill;

import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkCoder;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Turns mapped (and enriched) chunks into the rows an in-place fill writes: the row's key as
 * read, then the new value of each column to fill (the layout {@link FillNullsStatement}
 * expects). A column that already holds a value gets NULL, which the statement's COALESCE keeps
 * from changing anything. A row with nothing to fill (no new value for any of its empty cells)
 * is left out, so it is never updated: a re-run, which reads such rows again, touches nothing.
 */
public final class FillRows extends PTransform<PCollection<Chunk>, PCollection<Chunk>> {
  private final int[] keyIndexes;
  private final int[] currentIndexes;
  private final int[] newIndexes;

  private FillRows(int[] keyIndexes, int[] currentIndexes, int[] newIndexes) {
    this.keyIndexes = keyIndexes;
    this.currentIndexes = currentIndexes;
    this.newIndexes = newIndexes;
  }

  /**
   * @param sourceLayout the rows as read: holds the key and the current values
   * @param mappedLayout the rows after mapping and lookups: holds the new values
   */
  public static FillRows of(Layout sourceLayout, List<String> keyColumns, Layout mappedLayout,
      List<String> fillColumns) {
    if (fillColumns.isEmpty()) {
      throw new IllegalArgumentException("name at least one column to fill");
    }
    for (String c : fillColumns) {
      if (keyColumns.contains(c)) {
        throw new IllegalArgumentException("column '" + c + "' is part of the key; a fill"
            + " never changes a key");
      }
    }
    return new FillRows(sourceLayout.indexesOf(keyColumns), sourceLayout.indexesOf(fillColumns),
        mappedLayout.indexesOf(fillColumns));
  }

  @Override
  public PCollection<Chunk> expand(PCollection<Chunk> chunks) {
    return chunks.apply("KeepCellsToFill", ParDo.of(new ProjectFn(keyIndexes, currentIndexes,
            newIndexes)))
        .setCoder(ChunkCoder.of());
  }

  private static final class ProjectFn extends DoFn<Chunk, Chunk> {
    private final int[] keyIndexes;
    private final int[] currentIndexes;
    private final int[] newIndexes;
    private final Counter nothingToFill = Metrics.counter(FillRows.class, "rowsWithNothingToFill");

    ProjectFn(int[] keyIndexes, int[] currentIndexes, int[] newIndexes) {
      this.keyIndexes = keyIndexes;
      this.currentIndexes = currentIndexes;
      this.newIndexes = newIndexes;
    }

    @ProcessElement
    public void process(@Element Chunk chunk, OutputReceiver<Chunk> out) {
      List<Record> kept = new ArrayList<>(chunk.source().size());
      List<Record> rows = new ArrayList<>(chunk.source().size());
      for (int r = 0; r < chunk.source().size(); r++) {
        Record row = project(chunk.source().get(r), chunk.target().get(r));
        if (row == null) {
          nothingToFill.inc();
        } else {
          kept.add(chunk.source().get(r));
          rows.add(row);
        }
      }
      out.output(chunk.mapped(kept, rows, chunk.rejected()));
    }

    /** The key and the new values of the empty cells, or null when no empty cell gets a value. */
    private Record project(Record source, Record mapped) {
      Object[] out = new Object[keyIndexes.length + newIndexes.length];
      for (int i = 0; i < keyIndexes.length; i++) {
        out[i] = source.get(keyIndexes[i]);
      }
      boolean any = false;
      for (int i = 0; i < newIndexes.length; i++) {
        if (source.get(currentIndexes[i]) == null) {
          Object value = mapped.get(newIndexes[i]);
          out[keyIndexes.length + i] = value;
          any |= value != null;
        }
      }
      return any ? new Record(out) : null;
    }
  }
}
