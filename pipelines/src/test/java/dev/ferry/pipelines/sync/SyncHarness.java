package dev.ferry.pipelines.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.RestartablePostgres;
import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * What the sync tests share: the random workload, {@code ferry sync} and the backfill run
 * in-process or in a JVM of its own (to SIGKILL it), the kill and target-restart scenarios, and
 * waiting for progress.
 */
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

  /**
   * Runs {@code writes} in a thread of its own: the common pool, which {@code runAsync} would
   * use, has one thread on a 2-core machine and may be busy with the pipeline under test, and
   * then the writes would not overlap it.
   */
  static CompletableFuture<Void> inBackground(Runnable writes) {
    return CompletableFuture.runAsync(writes, r -> {
      Thread t = new Thread(r, "ferry-test-workload");
      t.setDaemon(true);
      t.start();
    });
  }

  /**
   * {@code ferry sync} in-process with {@code flags} and {@code more}; without {@code --prepare}
   * or {@code --untilCaughtUp} it stops once caught up.
   */
  static int sync(List<String> flags, String... more) {
    List<String> all = new ArrayList<>(flags);
    all.addAll(Arrays.asList(more));
    SyncOptions options = syncOptions(all);
    if (all.stream().noneMatch(f -> f.startsWith("--prepare") || f.startsWith("--until"))) {
      options.setUntilCaughtUp(true);
    }
    return SyncCommand.run(options, new Secrets(Map.of()));
  }

  /** The backfill of the sync's job spec, in-process. */
  static RunSummary backfill(List<String> flags) {
    List<String> all = new ArrayList<>(flags);
    all.removeIf(f -> f.startsWith("--statusIntervalSeconds") || f.startsWith("--serverId"));
    PipelineOptionsFactory.register(BackfillOptions.class);
    return BackfillPipeline.run(PipelineOptionsFactory.fromArgs(all.toArray(new String[0]))
        .withValidation().as(BackfillOptions.class), new Secrets(Map.of()));
  }

  private static SyncOptions syncOptions(List<String> flags) {
    PipelineOptionsFactory.register(SyncOptions.class);
    return PipelineOptionsFactory.fromArgs(flags.toArray(new String[0])).withValidation()
        .as(SyncOptions.class);
  }

  /**
   * Starts {@code ferry sync} {@code kills} times in a JVM of its own, runs {@code workload}
   * (given the round) while it applies, and SIGKILLs it at a moment drawn from {@code random}:
   * after 1 to 150 more changes were applied. Returns the events applied by then.
   */
  static long killRepeatedly(List<String> flags, String targetUrl, String job, Random random,
      int kills, LongConsumer workload) throws Exception {
    long applied = 0;
    for (int kill = 0; kill < kills; kill++) {
      Process child = child(SyncCommand.class, flags);
      workload.accept(kill);
      applied = awaitApplied(targetUrl, "ferry_sync", job, applied + random.nextInt(150));
      kill(child);
    }
    return applied;
  }

  /**
   * Runs sync in-process while the target server is stopped and started again, with
   * {@code workload} (given the round 0, 1, 2) before, during and after the outage: sync must
   * ride it out, and a catch-up afterwards must end equal ({@code ferry sync} stops then).
   */
  static void rideOutTargetRestart(List<String> flags, RestartablePostgres server,
      String targetUrl, String job, LongConsumer workload) throws Exception {
    SyncOptions options = syncOptions(flags);
    SyncRun run = new SyncRun(SyncSetup.of(BackfillConfig.from(options, new Secrets(Map.of())),
        0), new SyncStatus(job, null), false, 1);
    run.start();
    try {
      workload.accept(0);
      long applied = awaitApplied(targetUrl, "ferry_sync", job, 0);
      server.stop();
      workload.accept(1);
      server.start();
      workload.accept(2);
      awaitApplied(targetUrl, "ferry_sync", job, applied);
      assertTrue(!run.ended(), "sync must ride out the restart: " + run.message());
    } finally {
      run.stop();
    }
    assertEquals(SyncRun.Outcome.STOPPED, run.await());
    assertEquals(0, sync(flags));
  }

  /** {@code main} of {@code command} with {@code flags} in a child JVM, output in the temp dir. */
  static Process child(Class<?> command, List<String> flags) throws Exception {
    List<String> line = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), command.getName()));
    line.addAll(flags);
    return new ProcessBuilder(line).redirectErrorStream(true)
        .redirectOutput(new File(System.getProperty("java.io.tmpdir"),
            "ferry-" + command.getSimpleName() + "-child.log"))
        .start();
  }

  /** Kills the child with SIGKILL, as {@code kill -9} does, and waits until it is gone. */
  static void kill(Process child) throws InterruptedException {
    child.destroyForcibly();
    child.waitFor(60, TimeUnit.SECONDS);
  }

  /**
   * Waits (at most 180 s) until the job's position in the target's {@code stateTable} has more
   * events applied than {@code before}; returns the count.
   */
  static long awaitApplied(String targetUrl, String stateTable, String job, long before)
      throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(targetUrl, "postgres", "");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT events_applied FROM " + stateTable
              + " WHERE job = '" + job + "'")) {
        long applied = rs.next() ? rs.getLong(1) : 0;
        if (applied > before) {
          return applied;
        }
      } catch (SQLException e) {
        // 42P01: no state table yet; 08xxx / 57P: the target is restarting
        String state = String.valueOf(e.getSQLState());
        if (!state.equals("42P01") && !state.startsWith("08") && !state.startsWith("57P")) {
          throw e;
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("sync " + job + " applied no more than " + before + " in 180 s");
  }

  /** The rows {@code sql} returns, each as its columns joined by {@code |}. */
  static List<String> rows(String url, String user, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          sb.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        out.add(sb.toString());
      }
    }
    return out;
  }
}
