package dev.ferry.pipelines.sync;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code ferry sync} in a JVM of its own (to SIGKILL it) and watches its progress. */
final class SyncHarness {
  private SyncHarness() {}

  /** {@code ferry sync} with {@code flags} in a child JVM, its output in the temp directory. */
  static Process childSync(List<String> flags) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), SyncCommand.class.getName()));
    command.addAll(flags);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "ferry-sync-child.log"))
        .start();
  }

  /** Kills the child with SIGKILL, as {@code kill -9} does, and waits until it is gone. */
  static void kill(Process child) throws InterruptedException {
    child.destroyForcibly();
    child.waitFor(60, TimeUnit.SECONDS);
  }

  /**
   * Waits (at most 180 s) until the job's position in the target has more events applied than
   * {@code before}; returns the count.
   */
  static long awaitApplied(String targetUrl, String job, long before) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(targetUrl, "postgres", "");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT events_applied FROM ferry_sync WHERE job = '"
              + job + "'")) {
        long applied = rs.next() ? rs.getLong(1) : 0;
        if (applied > before) {
          return applied;
        }
      } catch (SQLException e) {
        if (!"42P01".equals(e.getSQLState())) {
          throw e;
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("sync " + job + " applied no more than " + before + " in 180 s");
  }
}
