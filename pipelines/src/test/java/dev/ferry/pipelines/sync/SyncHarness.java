package dev.ferry.pipelines.sync;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Runs {@code ferry sync} in a JVM of its own (to SIGKILL it) and watches its progress. */
final class SyncHarness {
  private SyncHarness() {}

  /**
   * Random inserts, updates and deletes of {@code orders}, one transaction each, on ids up to
   * {@code ids} (some of them never copied, some deleted already).
   */
  static void workload(String url, String user, long seed, int operations, int ids) {
    Random random = new Random(seed);
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      for (int i = 0; i < operations; i++) {
        int id = 1 + random.nextInt(ids);
        switch (random.nextInt(3)) {
          case 0:
            s.execute("INSERT INTO orders (name, qty) VALUES ('new " + seed + "-" + i + "', "
                + i + ")");
            break;
          case 1:
            s.execute("UPDATE orders SET qty = qty + 1, name = 'upd " + seed + "-" + i
                + "' WHERE id = " + id);
            break;
          default:
            s.execute("DELETE FROM orders WHERE id = " + id);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

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
