package dev.ferry.pipelines.fill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.testing.TestDatabase;
import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fill JVM killed with SIGKILL mid-run, then started again with the same command: the second
 * run reads only the rows whose chunks were not committed (completed ranges and chunks are not
 * done again), and the table ends up filled exactly as by an uninterrupted run.
 */
class FillResumeAfterKillTest {
  private static final int ROWS = 16_000;
  @TempDir Path tmp;

  @Test
  void killedFillResumesWhereItStopped() throws Exception {
    TestDatabase db = FillPostgresTest.orders(ROWS);
    Path spec = Fills.phoneSpec(tmp, "fill-kill", db, "auto");
    long toRead = ((Number) db.scalar("SELECT count(*) FROM orders WHERE email_lower IS NULL"
        + " OR phone IS NULL")).longValue();
    File log = tmp.resolve("child.log").toFile();
    Process child = Fills.child(log, "--spec=" + spec, "--partitions=8",
        "--maxRowsPerSecond=2000");
    long committedAtKill = Fills.waitForProgress(() -> ((Number) db.scalar(
        "SELECT COALESCE(sum(rows_read), 0) FROM ferry_progress")).longValue(), toRead / 4, child,
        log);
    child.destroyForcibly();
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertTrue(committedAtKill < toRead, "killed before the end");

    RunSummary resumed = Fills.run("--spec=" + spec, "--partitions=8");
    assertEquals(0, resumed.exitCode, resumed.error);
    assertTrue(resumed.resumed);
    assertTrue(resumed.rowsRead <= toRead - committedAtKill, "resumed run read "
        + resumed.rowsRead + " rows; " + committedAtKill + " of " + toRead
        + " were committed before the kill");
    assertEquals(resumed.rangesTotal, resumed.rangesDone);
    assertEquals(0L, ((Number) db.scalar(FillPostgresTest.WRONG_ROWS)).longValue());
  }
}
