package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.plan.KeyRange;
import dev.ferry.progress.ProgressStore;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private static ProgressStore.Totals totals(long ranges, long done, long read, long estimated) {
    ProgressStore.Totals t = new ProgressStore.Totals();
    t.ranges = ranges;
    t.rangesDone = done;
    t.rowsRead = read;
    t.rowsWritten = read - 2;
    t.rowsDead = 2;
    t.estimatedRows = estimated;
    return t;
  }

  @Test
  void barAndPercentageFollowTheRowEstimate() {
    assertEquals("[#########-----------]  45% | ranges 3/8 | read 45,000 of ~100,000, written"
        + " 44,998, dead-lettered 2 | 1,000 rows/s | ETA 0:00:55",
        ProgressReporter.line(totals(8, 3, 45_000, 100_000), 1000));
  }

  @Test
  void anEstimateBelowTheRowsReadNeverShowsDoneBeforeTheRangesAre() {
    assertEquals("[###################-]  99% | ranges 7/8 | read 120,000 of ~100,000, written"
        + " 119,998, dead-lettered 2 | 0 rows/s | ETA unknown",
        ProgressReporter.line(totals(8, 7, 120_000, 100_000), 0));
    assertEquals("[####################] 100% | ranges 8/8 | read 120,000 of ~100,000, written"
        + " 119,998, dead-lettered 2 | 2,000 rows/s | ETA 0:00:00",
        ProgressReporter.line(totals(8, 8, 120_000, 100_000), 2000));
  }

  @Test
  void rangesAreCountedAsTheyFinishAndTheRunningOnesShown() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    ProgressStore store = new ProgressStore(new JdbcEndpoint(db.jdbcUrl(), db.user(),
        db.password()), List.of("ferry"));
    store.ensureTables();
    store.planOrResume("job", "fp", () -> List.of(
        KeyRange.between(0, null, new Object[] {100L}, 100),
        KeyRange.between(1, new Object[] {100L}, new Object[] {200L}, 100),
        KeyRange.between(2, new Object[] {200L}, null, 100)));
    // Range 0 finished, range 1 has its first chunk in, range 2 has not started.
    db.execute("UPDATE ferry.ferry_progress SET seq = 3, done = true, rows_read = 100,"
        + " rows_written = 100 WHERE range_index = 0",
        "UPDATE ferry.ferry_progress SET seq = 1, rows_read = 40, rows_written = 40"
        + " WHERE range_index = 1");
    ProgressStore.Totals t = store.totals("job", "fp");
    assertEquals(1, t.rangesDone);
    assertEquals(1, t.rangesStarted);
    assertEquals("[#########-----------]  47% | ranges 1/3 (1 running) | read 140 of ~300,"
        + " written 140, dead-lettered 0 | 10 rows/s | ETA 0:00:16",
        ProgressReporter.line(t, 10));
  }
}
