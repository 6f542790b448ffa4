package dev.ferry.pipelines.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * How the tables of a migration are grouped into pipelines: a table of more than one key range's
 * worth of rows ({@link TableTask#ROWS_PER_RANGE}) gets a pipeline of its own; small tables share
 * one, up to {@link #TABLES_PER_BATCH} at a time, since starting a pipeline costs more than
 * copying a thousand rows. A batch is kept small because each of its tables holds its own
 * connections while the pipeline runs.
 */
final class LoadBatches {
  static final int TABLES_PER_BATCH = 10;

  private LoadBatches() {}

  static List<List<TableTask>> of(List<TableTask> tables) {
    List<List<TableTask>> batches = new ArrayList<>();
    List<TableTask> small = new ArrayList<>();
    for (TableTask task : tables) {
      if (task.rows().value() > TableTask.ROWS_PER_RANGE) {
        batches.add(List.of(task));
        continue;
      }
      small.add(task);
      if (small.size() == TABLES_PER_BATCH) {
        batches.add(List.copyOf(small));
        small.clear();
      }
    }
    if (!small.isEmpty()) {
      batches.add(List.copyOf(small));
    }
    return batches;
  }

  /** The rows of a batch, to start the largest first. */
  static long rows(List<TableTask> batch) {
    return batch.stream().mapToLong(t -> t.rows().value()).sum();
  }
}
