package dev.ferry.pipelines.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.schema.TableConversion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which tables share a pipeline, and how many slots a batch takes. */
class LoadBatchesTest {
  @Test
  void largeTablesShareOnePipelineWithTheSmallOnes() {
    // The HR schema: four large tables and two small ones make one pipeline of weight 4.
    List<LoadBatches.LoadBatch> batches = LoadBatches.of(List.of(task("departments", 9),
        task("salaries", 2_844_047), task("employees", 300_024), task("dept_manager", 24),
        task("titles", 443_308), task("dept_emp", 331_603)), 4);
    assertEquals(1, batches.size());
    assertEquals(List.of("salaries", "titles", "dept_emp", "employees", "departments",
        "dept_manager"), names(batches.get(0)));
    assertEquals(4, batches.get(0).weight());
  }

  @Test
  void aBatchHoldsAtMostParallelTablesLargeTablesAndTenInAll() {
    List<TableTask> tables = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      tables.add(task("big" + i, 100_000L * i));
    }
    for (int i = 1; i <= 33; i++) {
      tables.add(task("small" + i, 100));
    }
    List<LoadBatches.LoadBatch> batches = LoadBatches.of(tables, 2);
    List<Integer> sizes = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    for (LoadBatches.LoadBatch batch : batches) {
      sizes.add(batch.tables().size());
      weights.add(batch.weight());
    }
    assertEquals(List.of("big5", "big4"), names(batches.get(0)).subList(0, 2));
    // Small tables fill the batches of large ones first.
    assertEquals(List.of("big1", "small17"), names(batches.get(2)).subList(0, 2));
    assertEquals(List.of(10, 10, 10, 8), sizes);
    assertEquals(List.of(2, 2, 1, 1), weights);
    assertEquals(38, batches.stream().mapToInt(b -> b.tables().size()).sum());
  }

  @Test
  void smallTablesAloneBatchTenAtATimeWithWeightOne() {
    List<TableTask> tables = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      tables.add(task("t" + i, TableTask.ROWS_PER_RANGE));
    }
    List<LoadBatches.LoadBatch> batches = LoadBatches.of(tables, 4);
    assertEquals(List.of(10, 10, 5), batches.stream().map(b -> b.tables().size()).toList());
    assertEquals(List.of(1, 1, 1), batches.stream().map(LoadBatches.LoadBatch::weight).toList());
  }

  @Test
  void refusesBatchesWithoutLargeTables() {
    assertThrows(IllegalArgumentException.class, () -> LoadBatches.of(List.of(), 0));
  }

  private static List<String> names(LoadBatches.LoadBatch batch) {
    return batch.tables().stream().map(TableTask::sourceTable).toList();
  }

  private static TableTask task(String name, long rows) {
    return new TableTask("hr", name, List.of(name), "CREATE TABLE " + name + " (id int)",
        List.of("id"), Optional.empty(), new TableConversion(name, name, List.of()),
        Path.of(name + ".yaml"), new TableTask.RowCount(rows, true));
  }
}
