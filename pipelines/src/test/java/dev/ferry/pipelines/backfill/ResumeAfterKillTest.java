package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill JVM killed with SIGKILL mid-run, then started again with the same command: the
 * second run finishes the job, reads only what was not committed, and the target ends up equal
 * to the source.
 */
class ResumeAfterKillTest {
  private static final int ROWS = 40_000;
  @TempDir Path tmp;

  @Test
  void killedRunResumesWhereItStopped() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE events (id bigint PRIMARY KEY, kind text, at timestamptz,"
            + " body text)",
        "INSERT INTO events SELECT g, 'k' || (g % 9), timestamptz '2024-01-01 00:00Z'"
            + " + g * interval '1 second', repeat('x', g % 200) FROM generate_series(1, "
            + ROWS + ") g");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE events (id bigint PRIMARY KEY, kind text, at timestamptz,"
        + " body text)");
    List<String> flags = Backfills.with(Backfills.flags("kill", src, dst, "events"),
        "--partitions=8");

    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), BackfillPipeline.class.getName()));
    command.addAll(flags);
    command.add("--maxRowsPerSecond=4000");
    Process child = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(new File(tmp.toFile(), "child.log"))
        .start();
    File log = new File(tmp.toFile(), "child.log");
    long committedAtKill = waitForProgress(dst, ROWS / 4, child, log);
    child.destroyForcibly();
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertTrue(committedAtKill < ROWS, "killed before the end");

    RunSummary resumed = Backfills.run(flags);
    assertEquals(0, resumed.exitCode, resumed.error);
    assertTrue(resumed.resumed);
    assertTrue(resumed.rowsRead <= ROWS - committedAtKill,
        "resumed run read " + resumed.rowsRead + " rows; " + committedAtKill
            + " were committed before the kill");
    assertEquals(resumed.rangesTotal, resumed.rangesDone);

    String digest = "SELECT count(*) || ':' || md5(string_agg(id || '|' || kind || '|' || at"
        + " || '|' || body, ',' ORDER BY id)) FROM events";
    assertEquals(src.scalar(digest), dst.scalar(digest));
  }

  /** Waits until at least {@code rows} rows are committed, and returns how many are. */
  private static long waitForProgress(TestDatabase dst, long rows, Process child, File log)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        throw new AssertionError("the child ended before it could be killed:\n"
            + java.nio.file.Files.readString(log.toPath()));
      }
      try {
        Object written = dst.scalar("SELECT COALESCE(sum(rows_written), 0) FROM ferry_progress");
        long n = ((Number) written).longValue();
        if (n >= rows) {
          return n;
        }
      } catch (IllegalStateException notYetCreated) {
        // the child has not created its state tables yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no progress within 90 s");
  }
}
