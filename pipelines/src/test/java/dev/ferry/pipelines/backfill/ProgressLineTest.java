package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.progress.ProgressStore;
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
}
