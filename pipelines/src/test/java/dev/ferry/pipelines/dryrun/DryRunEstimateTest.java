package dev.ferry.pipelines.dryrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The estimate adds what a fresh backfill JVM pays before its rows, and says so. */
class DryRunEstimateTest {
  @Test
  void theEstimateCountsSetupAndStartUpAndPrintsItsParts() {
    DryRunReport r = new DryRunReport();
    r.job = "orders";
    r.status = "succeeded";
    r.writtenTo = "orders";
    r.rowsInTable = 50_000;
    r.rangesSampled = 16;
    r.rowsRead = 16_000;
    r.rowsWritten = 16_000;
    r.sampleSeconds = 2.0;
    r.fixedSeconds = 0.4;
    // 1.6 s for 16,000 rows: 10,000 rows/s once warm.
    r.warmupRows = 4_000;
    r.warmupSeconds = 6.8;
    r.setupSeconds = 3.5;
    r.planSeconds = 0.5;
    r.assumptions.add("a run's time is a fixed cost plus a time per row");
    r.extrapolate();
    // start-up: 6.8 − 0.4 fixed − 4,000 rows at 10,000 rows/s = 6.0 s
    assertEquals(6.0, r.startUpSeconds, 1e-9);
    assertEquals(3.5 + 6.0 + 0.4 + 5.0, r.estimatedSeconds, 1e-9);
    String console = r.toConsole();
    assertTrue(console.contains("= setup 3.5 s + start-up 6.0 s + fixed 0.4 s + rows at 10,000"
        + " rows/s"), console);
    assertTrue(console.contains("assumptions:\n    - a run's time is a fixed cost"), console);
  }
}
