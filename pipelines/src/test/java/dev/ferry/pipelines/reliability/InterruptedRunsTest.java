package dev.ferry.pipelines.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A backfill in a child JVM is killed (SIGKILL) mid-run, which leaves its entry in {@code
 * ferry_runs} at {@code running}; a catch-up run of the same job is started in another child JVM,
 * and while it is still going the backfill is resumed.
 *
 * <p>Proven: a later run (the catch-up or the resumed backfill, whichever starts first after the
 * server has closed the dead process's sessions and so freed its session lock) marks the killed
 * run {@code interrupted}, and no run marks the one that is still alive; on a PostgreSQL and on a
 * MariaDB target. Before, a killed run stayed {@code running} forever.
 */
class InterruptedRunsTest {
  private static final int ROWS = 6_000;
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} target")
  @ValueSource(strings = {"postgresql", "mariadb"})
  void aKilledRunIsMarkedInterruptedAndALiveOneIsNot(String targetEngine) throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, " + ROWS + ") g");
    boolean maria = targetEngine.equals("mariadb");
    TestDatabase dst = maria ? EmbeddedDatabases.newMariaDb() : EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE t (id bigint PRIMARY KEY, v " + (maria ? "varchar(20)" : "text")
        + ")");
    List<String> flags = Runs.with(Runs.flags("interrupted", src, dst, "t"), "--partitions=1",
        "--batchSize=100");

    File log = tmp.resolve("killed.log").toFile();
    Process child = Runs.child(Runs.with(flags, "--maxRowsPerSecond=2000"), "512m", log);
    try {
      Runs.waitForCommitted(dst, 500, child, log);
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(List.of(List.of("running")), dst.query("SELECT status FROM ferry_runs"));
    waitForSessionsToEnd(dst, maria);

    // Another run of the job, a catch-up reading one row per second, is alive meanwhile.
    Process alive = Runs.child(Runs.with(flags, "--sinceColumn=id", "--since=0",
        "--maxRowsPerSecond=1"), "512m", tmp.resolve("alive.log").toFile());
    try {
      // The catch-up may itself mark the killed run (its lock is free), or leave that to the
      // next backfill: either way it must be running before that backfill starts.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (((Number) dst.scalar("SELECT count(*) FROM ferry_runs WHERE kind = 'catch-up'"
          + " AND status = 'running'")).longValue() < 1) {
        assertTrue(alive.isAlive(), Runs.tail(tmp.resolve("alive.log").toFile()));
        assertTrue(System.nanoTime() < deadline, "the catch-up never recorded its run");
        Thread.sleep(20);
      }
      RunSummary next = Runs.run(flags);
      assertEquals(0, next.exitCode, next.error);
      assertTrue(next.resumed);
      // The catch-up was running before the backfill began (the loop above); started_at has
      // whole seconds on MariaDB, so the rows are compared by what they are, not by time.
      assertEquals(List.of(List.of("backfill", "interrupted"), List.of("backfill", "succeeded"),
          List.of("catch-up", "running")),
          dst.query("SELECT kind, status FROM ferry_runs ORDER BY kind, status"));
      assertTrue(alive.isAlive(), "the catch-up was alive throughout");
    } finally {
      alive.destroyForcibly();
      assertTrue(alive.waitFor(30, TimeUnit.SECONDS));
    }
  }

  /** The server has closed the killed process's connections (it notices within moments). */
  private static void waitForSessionsToEnd(TestDatabase db, boolean maria) throws Exception {
    String others = maria
        ? "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE()"
            + " AND ID <> CONNECTION_ID()"
        : "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND pid <> pg_backend_pid()";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (((Number) db.scalar(others)).longValue() > 0) {
      assertTrue(System.nanoTime() < deadline, "the killed run's sessions are still open");
      Thread.sleep(20);
    }
  }
}
