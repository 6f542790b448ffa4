package dev.ferry.pipelines.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.record.KeyCodec;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a target crash does to asynchronously committed chunks, done by hand mid-run: one range's
 * checkpoint goes back to its start and the rows it had vouched for disappear from the target, in
 * one transaction, as the last commits before a crash disappear together. The writers go on and
 * their later chunks of that range no longer match the checkpoint, so the range never completes.
 *
 * <p>Proven: the run fails (exit 1) and its summary does not claim the rows its writers sent as
 * written: it reports the rows the checkpoints vouch for, re-read at the end and made durable by
 * the final synchronous commit, and calls the rest unconfirmed; the next run copies them.
 */
class LostCommitsSummaryTest {
  private static final int ROWS = 6_000;

  @Test
  void summaryOfAFailedRunCountsOnlyRowsItsCheckpointsVouchFor() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    String ddl = "CREATE TABLE t (id bigint PRIMARY KEY, v text)";
    src.execute(ddl, "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, " + ROWS + ") g");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute(ddl);
    List<String> flags = Runs.with(Runs.flags("lost", src, dst, "t"), "--partitions=2",
        "--batchSize=100");

    CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(
        () -> Runs.run(flags, "--maxRowsPerSecond=1500"));
    String seq = "SELECT COALESCE(max(seq), 0) FROM ferry_progress WHERE range_index = 0";
    while (((Number) scalarOrZero(dst, seq)).longValue() < 3) {
      assertTrue(!run.isDone(), "the run ended before the crash could be staged");
      Thread.sleep(20);
    }
    try (Connection c = dst.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      String lastKey = (String) dst.scalar("SELECT last_key FROM ferry_progress"
          + " WHERE range_index = 0");
      long lost = ((Number) KeyCodec.decode(lastKey)[0]).longValue();
      s.executeUpdate("UPDATE ferry_progress SET seq = 0, last_key = NULL, rows_read = 0,"
          + " rows_written = 0, rows_dead = 0, done = false WHERE range_index = 0");
      s.executeUpdate("DELETE FROM t WHERE id <= " + lost);
      c.commit();
    }
    RunSummary failed = run.get(5, TimeUnit.MINUTES);

    assertEquals(ExitCodes.FAILED, failed.exitCode, failed.error);
    assertTrue(failed.error.contains("1 ranges did not complete"), failed.error);
    long vouched = ((Number) dst.scalar("SELECT sum(rows_written) FROM ferry_progress"))
        .longValue();
    assertNotNull(failed.rowsCommitted);
    assertEquals(vouched, (long) failed.rowsCommitted);
    assertTrue(failed.rowsWritten > failed.rowsCommitted, "the writers sent "
        + failed.rowsWritten + " rows, more than the checkpoints vouch for");
    String console = failed.toConsole();
    assertTrue(console.contains("sent to the target"), console);
    assertTrue(console.contains(String.format("committed     %,d of this run's rows",
        vouched)), console);
    assertTrue(console.contains("the rest are unconfirmed"), console);

    RunSummary next = Runs.run(flags);
    assertEquals(0, next.exitCode, next.error);
    assertEquals(0L, next.rowsCommitted + vouched - ROWS, "the next run vouches for the rest");
    String digest = "SELECT count(*) || ':' || md5(string_agg(id || v, ',' ORDER BY id)) FROM t";
    assertEquals(src.scalar(digest), dst.scalar(digest));
  }

  private static Object scalarOrZero(TestDatabase db, String sql) {
    try {
      return db.scalar(sql);
    } catch (IllegalStateException notYetCreated) {
      return 0;
    }
  }
}
