package dev.ferry.pipelines.sync;

import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The sync benchmark (bench/sync.sh), not a test: MariaDB with a binary log into PostgreSQL, both
 * embedded. Measures (1) the apply rate of a backlog of changes already in the binlog, (2) the
 * lag under a steady workload of single-row updates, (3) the time from the last write to
 * {@code ferry cutover}'s verdict. Sizes from system properties: rows, backlog, rate, seconds.
 */
public final class SyncBench {
  private SyncBench() {}

  public static void main(String[] args) throws Exception {
    int rows = Integer.getInteger("rows", 1_000_000);
    int backlog = Integer.getInteger("backlog", 1_000_000);
    int rate = Integer.getInteger("rate", 2_000);
    int seconds = Integer.getInteger("seconds", 60);
    String source = BinlogMariaDb.newDatabase();
    BinlogMariaDb.execute(source, "CREATE TABLE records (id BIGINT PRIMARY KEY,"
        + " name VARCHAR(100) NOT NULL, qty INT, note VARCHAR(64))",
        "INSERT INTO records SELECT seq, concat('name ', seq), seq % 1000, md5(seq)"
            + " FROM seq_1_to_" + rows);
    TestDatabase target = EmbeddedDatabases.newPostgres();
    target.execute("CREATE TABLE records (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
        + " qty INT, note VARCHAR(64))");
    List<String> flags = new ArrayList<>(Arrays.asList("--job=bench-sync", "--sourceUrl="
        + source, "--sourceUser=root", "--sourceTable=records", "--targetUrl="
        + target.jdbcUrl(), "--targetUser=postgres", "--partitions=8", "--batchSize=2000",
        "--progressIntervalSeconds=30"));
    Secrets secrets = new Secrets(Map.of());
    PipelineOptionsFactory.register(SyncOptions.class);
    SyncOptions options = PipelineOptionsFactory.fromArgs(flags.toArray(new String[0]))
        .withValidation().as(SyncOptions.class);
    options.setPrepare(true);
    check(SyncCommand.run(options, secrets), "prepare");
    long t0 = System.nanoTime();
    check(BackfillPipeline.run(PipelineOptionsFactory.fromArgs(flags.toArray(new String[0]))
        .as(BackfillOptions.class), secrets).exitCode, "backfill");
    System.out.printf("backfill of %,d rows: %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);

    // (1) a backlog: every row changed once while sync is not running, then applied.
    try (Connection c = DriverManager.getConnection(source, "root", "");
        Statement s = c.createStatement()) {
      for (int from = 1; from <= backlog; from += 10_000) {
        s.execute("UPDATE records SET qty = qty + 1 WHERE id BETWEEN " + from + " AND "
            + Math.min(backlog, from + 9_999));
      }
    }
    options.setPrepare(false);
    SyncSetup setup = SyncSetup.of(BackfillConfig.from(options, secrets), 0);
    SyncStatus status = new SyncStatus("bench-sync", null);
    SyncRun run = new SyncRun(setup, status, true, 5);
    long t1 = System.nanoTime();
    run.start();
    check(run.await() == SyncRun.Outcome.CAUGHT_UP ? 0 : 1, "backlog catch-up");
    double backlogSeconds = (System.nanoTime() - t1) / 1e9;
    System.out.printf("backlog of %,d changes applied in %.1f s (engine start included):"
        + " %,.0f changes/s%n", backlog, backlogSeconds, backlog / backlogSeconds);

    // (2) steady workload: single-row updates at the given rate while sync runs.
    status = new SyncStatus("bench-sync", null);
    run = new SyncRun(setup, status, false, 5);
    run.start();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong written = new AtomicLong();
    long writesStarted = System.nanoTime();
    Thread writer = new Thread(() -> steadyWrites(source, rows, rate, writing, written),
        "bench-writer");
    writer.start();
    List<Double> lags = new ArrayList<>();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      Thread.sleep(1000);
      lags.add(status.lagSeconds());
    }
    writing.set(false);
    writer.join();
    long stopped = System.nanoTime();
    run.stop();
    run.await();
    Collections.sort(lags);
    System.out.printf("steady %,d changes/s asked, %,.0f/s written, for %d s: lag p50 %.1f s,"
        + " p95 %.1f s, max %.1f s%n", rate, written.get() / ((stopped - writesStarted) / 1e9),
        seconds, lags.get(lags.size() / 2), lags.get((int) (lags.size() * 0.95)),
        lags.get(lags.size() - 1));

    // (3) from the last write to the cutover verdict (sync stopped first, as documented).
    int exit = CutoverCommand.run(flags.toArray(new String[0]), secrets);
    System.out.printf("writes stopped -> cutover verdict (exit %d): %.1f s%n", exit,
        (System.nanoTime() - stopped) / 1e9);
    System.exit(exit);
  }

  private static void steadyWrites(String url, int rows, int rate, AtomicBoolean writing,
      AtomicLong written) {
    Random random = new Random(1);
    try (Connection c = DriverManager.getConnection(url, "root", "");
        PreparedStatement p = c.prepareStatement("UPDATE records SET qty = qty + 1, note = ?"
            + " WHERE id = ?")) {
      long next = System.nanoTime();
      int perTick = Math.max(1, rate / 100);
      while (writing.get()) {
        for (int i = 0; i < perTick; i++) {
          p.setString(1, Long.toHexString(random.nextLong()));
          p.setLong(2, 1 + random.nextInt(rows));
          p.executeUpdate();
          written.incrementAndGet();
        }
        next += 10_000_000L;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    } catch (SQLException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void check(int exit, String step) {
    if (exit != 0) {
      throw new IllegalStateException(step + " failed with exit code " + exit);
    }
  }
}
