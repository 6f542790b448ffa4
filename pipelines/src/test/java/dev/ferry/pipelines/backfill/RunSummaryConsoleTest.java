package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.job.ExitCodes;
import org.junit.jupiter.api.Test;

class RunSummaryConsoleTest {
  private static RunSummary summary(String status, int exitCode) {
    RunSummary s = new RunSummary();
    s.job = "orders";
    s.status = status;
    s.exitCode = exitCode;
    s.source = "src";
    s.target = "dst";
    s.watermark = "2026-12-07T10:00:00";
    return s;
  }

  @Test
  void onlyASuccessfulRunPointsTheNextCatchUpAtIt() {
    String ok = summary("succeeded", ExitCodes.OK).toConsole();
    assertTrue(ok.contains("next catch-up: --since=last"), ok);
    String failed = summary("failed", ExitCodes.FAILED).toConsole();
    assertFalse(failed.contains("--since=last"), failed);
    assertTrue(failed.contains("not recorded"), failed);
  }
}
