package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.FlakyProxy;
import dev.ferry.testing.RestartablePostgres;
import dev.ferry.testing.TestDatabase;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The source or the target goes away for ten seconds in the middle of a backfill: cut off by a
 * proxy (every connection dropped, new ones refused), or its server really stopped and started
 * again. The run retries with backoff on new connections and completes with exactly the
 * source's rows.
 */
class DatabaseOutageTest {
  private static final int ROWS = 30_000;

  @Test
  void targetOutage() throws Exception {
    runThroughOutage(false);
  }

  @Test
  void sourceOutage() throws Exception {
    runThroughOutage(true);
  }

  @Test
  void targetServerRestart() throws Exception {
    runThroughRestart(false);
  }

  @Test
  void sourceServerRestart() throws Exception {
    runThroughRestart(true);
  }

  private void runThroughRestart(boolean restartSource) throws Exception {
    try (RestartablePostgres server = new RestartablePostgres()) {
      TestDatabase own = server.newDatabase(restartSource ? "restarted_src" : "restarted_dst");
      TestDatabase src = restartSource ? own : EmbeddedDatabases.newPostgres();
      TestDatabase dst = restartSource ? EmbeddedDatabases.newPostgres() : own;
      runThrough(src, dst, server::stop, server::start);
    }
  }

  private void runThroughOutage(boolean cutSource) throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    TestDatabase cut = cutSource ? src : dst;
    try (FlakyProxy proxy = new FlakyProxy(URI.create(cut.jdbcUrl().substring(5)).getPort())) {
      String url = proxy.wrap(cut.jdbcUrl());
      runThrough(src, dst, proxy::cut, proxy::restore,
          (cutSource ? "--sourceUrl=" : "--targetUrl=") + url);
    }
  }

  /** Taking a database away, or bringing it back. */
  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }

  private void runThrough(TestDatabase src, TestDatabase dst, Action down, Action up,
      String... flags) throws Exception {
    src.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
    dst.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text)");
    String[] more = Arrays.copyOf(flags, flags.length + 1);
    more[flags.length] = "--maxRowsPerSecond=3000";
    CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(
        () -> Backfills.run(Backfills.flags("outage", src, dst, "t"), more));
    waitForRows(dst, ROWS / 5);
    try (TransientErrorWatch watch = new TransientErrorWatch()) {
      down.run();
      // The database comes back only once the run has met the outage and retried, twice.
      watch.awaitAtLeast(2, Duration.ofSeconds(90));
      up.run();
    }
    RunSummary s = run.get(3, TimeUnit.MINUTES);
    assertEquals(0, s.exitCode, s.error);
    assertTrue(s.retries > 0, "the outage was noticed and retried");
    assertEquals(ROWS, dst.count("t"));
    String digest = "SELECT md5(string_agg(id || v, ',' ORDER BY id)) FROM t";
    assertEquals(src.scalar(digest), dst.scalar(digest));
  }

  private static void waitForRows(TestDatabase dst, long rows) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (((Number) dst.scalar("SELECT count(*) FROM t")).longValue() >= rows) {
          return;
        }
      } catch (IllegalStateException e) {
        // not started yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the backfill made no progress");
  }
}
