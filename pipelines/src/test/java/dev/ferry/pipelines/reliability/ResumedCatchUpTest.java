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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill with a catch-up column is killed (SIGKILL) a third of the way through; a row it had
 * already copied and a row it had not reached are then updated on the source; the backfill is
 * resumed and finishes; a catch-up ({@code --since=last}) follows.
 *
 * <p>Proven: the resumed run records the watermark the first attempt took before it read
 * anything, not one of its own, so the catch-up copies the update of the row copied before the
 * kill, which the resumed run never reads again.
 */
class ResumedCatchUpTest {
  private static final int ROWS = 12_000;
  @TempDir Path tmp;

  @Test
  void catchUpAfterAResumeCopiesUpdatesOfRowsCopiedBeforeTheKill() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    String ddl = "CREATE TABLE orders (id bigint PRIMARY KEY, v text NOT NULL,"
        + " updated_at timestamptz NOT NULL)";
    src.execute(ddl, "INSERT INTO orders SELECT g, 'old', timestamptz '2024-01-01 00:00Z'"
        + " + g * interval '1 second' FROM generate_series(1, " + ROWS + ") g");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute(ddl);
    List<String> flags = Runs.with(Runs.flags("resumed-catch-up", src, dst, "orders"),
        "--sinceColumn=updated_at", "--partitions=1", "--batchSize=200");

    File log = tmp.resolve("killed.log").toFile();
    Process child = Runs.child(Runs.with(flags, "--maxRowsPerSecond=3000"), "512m", log);
    try {
      Runs.waitForCommitted(dst, ROWS / 3, child, log);
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    long copied = ((Number) dst.scalar("SELECT max(id) FROM orders")).longValue();
    assertTrue(copied < ROWS, "killed before the end");
    // Updated after the kill, stamped after the first attempt's watermark and before the
    // resumed run starts (the later row at the later time, as a clock would).
    src.execute("UPDATE orders SET v = 'new', updated_at = '2025-01-01 00:00Z' WHERE id = 1",
        "UPDATE orders SET v = 'new', updated_at = '2025-01-02 00:00Z' WHERE id = " + ROWS);

    RunSummary resumed = Runs.run(flags);
    assertEquals(0, resumed.exitCode, resumed.error);
    assertTrue(resumed.resumed);
    assertEquals("old", dst.scalar("SELECT v FROM orders WHERE id = 1"),
        "the resumed run does not read the row copied before the kill again");
    assertTrue(resumed.watermark.contains("2024-01-01T03:20"), resumed.watermark);

    RunSummary catchUp = Runs.run(flags, "--since=last");
    assertEquals(0, catchUp.exitCode, catchUp.error);
    assertEquals(2, catchUp.rowsRead, "the two updated rows (one of them held the watermark)");
    assertEquals("new", dst.scalar("SELECT v FROM orders WHERE id = 1"));
    assertEquals("new", dst.scalar("SELECT v FROM orders WHERE id = " + ROWS));
  }
}
