package dev.ferry.pipelines.migrate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How the tables of a migration are grouped into pipelines. Pipelines running side by side cost
 * the JVM more than one pipeline running their tables together: each has its own worker threads,
 * its own chunks in flight and a driver that spins while it waits (apache/beam#18070): copying
 * the HR benchmark schema took a quarter less of the client's CPU in one pipeline.
 *
 * <p>So a batch holds up to {@code largePerBatch} tables of more than one key range's worth of
 * rows ({@link TableTask#ROWS_PER_RANGE}) and small tables beside them, at most
 * {@link #TABLES_PER_BATCH} in all. Each table's steps hold their connections until the pipeline
 * ends, so a batch weighs as many of the {@code --parallelTables} slots as it has large tables
 * ({@link LoadBatch#weight}): connections stay what the same tables would hold loading one
 * pipeline each.
 */
final class LoadBatches {
  static final int TABLES_PER_BATCH = 10;

  private LoadBatches() {}

  /** Tables that load together, and how many {@code --parallelTables} slots they take. */
  record LoadBatch(List<TableTask> tables, int weight) {
    /** The rows of a batch, to start the largest first. */
    long rows() {
      return tables.stream().mapToLong(t -> t.rows().value()).sum();
    }
  }

  static List<LoadBatch> of(List<TableTask> tables, int largePerBatch) {
    if (largePerBatch < 1) {
      throw new IllegalArgumentException("largePerBatch must be at least 1, got "
          + largePerBatch);
    }
    List<TableTask> large = new ArrayList<>();
    List<TableTask> small = new ArrayList<>();
    for (TableTask task : tables) {
      (isLarge(task) ? large : small).add(task);
    }
    large.sort(Comparator.comparingLong((TableTask t) -> t.rows().value()).reversed());
    List<List<TableTask>> groups = new ArrayList<>();
    for (int i = 0; i < large.size(); i += largePerBatch) {
      groups.add(new ArrayList<>(large.subList(i, Math.min(large.size(), i + largePerBatch))));
    }
    int next = 0;
    for (List<TableTask> group : groups) {
      while (group.size() < TABLES_PER_BATCH && next < small.size()) {
        group.add(small.get(next++));
      }
    }
    for (; next < small.size(); next += TABLES_PER_BATCH) {
      groups.add(small.subList(next, Math.min(small.size(), next + TABLES_PER_BATCH)));
    }
    List<LoadBatch> batches = new ArrayList<>();
    for (List<TableTask> group : groups) {
      int weight = (int) Math.max(1, group.stream().filter(LoadBatches::isLarge).count());
      batches.add(new LoadBatch(List.copyOf(group), weight));
    }
    return batches;
  }

  private static boolean isLarge(TableTask task) {
    return task.rows().value() > TableTask.ROWS_PER_RANGE;
  }
}
