package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * Several tables in one pipeline: each job copies its own table, counts only its own rows and
 * keeps its own checkpoints, so that a second run of the batch finds every job done.
 */
class BackfillBatchTest {
  @Test
  void eachJobOfABatchCopiesAndCountsItsOwnTable() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE a (id int PRIMARY KEY, v text)",
        "INSERT INTO a SELECT g, 'a' || g FROM generate_series(1, 1200) g",
        "CREATE TABLE b (id int PRIMARY KEY, v text)",
        "INSERT INTO b SELECT g, 'b' || g FROM generate_series(1, 30) g");
    dst.execute("CREATE TABLE a (id int PRIMARY KEY, v text)",
        "CREATE TABLE b (id int PRIMARY KEY, v text)");

    List<RunSummary> first = BackfillBatch.run(List.of(options(src, dst, "a"),
        options(src, dst, "b")), new Secrets(Map.of()));

    assertEquals(2, first.size());
    assertEquals("job-a", first.get(0).job);
    assertEquals(ExitCodes.OK, first.get(0).exitCode, first.get(0).error);
    assertEquals(ExitCodes.OK, first.get(1).exitCode, first.get(1).error);
    assertEquals(1200, first.get(0).rowsWritten, "only table a's rows");
    assertEquals(30, first.get(1).rowsWritten, "only table b's rows");
    assertEquals(1200, first.get(0).jobRowsWritten);
    assertEquals(1200L, dst.count("a"));
    assertEquals(30L, dst.count("b"));

    List<RunSummary> again = BackfillBatch.run(List.of(options(src, dst, "a"),
        options(src, dst, "b")), new Secrets(Map.of()));
    assertTrue(again.stream().allMatch(s -> s.exitCode == ExitCodes.OK
        && s.rangesThisRun == 0 && s.rowsWritten == 0), "nothing left to copy");
  }

  private static BackfillOptions options(TestDatabase src, TestDatabase dst, String table) {
    PipelineOptionsFactory.register(BackfillOptions.class);
    return PipelineOptionsFactory.fromArgs(Backfills.flags("job-" + table, src, dst, table)
        .toArray(new String[0])).withValidation().as(BackfillOptions.class);
  }
}
