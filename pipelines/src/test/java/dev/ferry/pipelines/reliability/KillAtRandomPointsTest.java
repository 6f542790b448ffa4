package dev.ferry.pipelines.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.record.KeyCodec;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A backfill in a child JVM is killed with SIGKILL three times in a row, each time at a point
 * drawn from a seeded random generator (once 10-30%, 35-55% and 60-80% of the rows are
 * committed, then up to 100 ms more, so the kill lands between or inside chunk commits); a
 * fourth run finishes.
 *
 * <p>Proven: the target equals the source; every source row is counted exactly once in the
 * checkpoints ({@code sum(rows_read)} in {@code ferry_progress}); the final run reads exactly the
 * rows after the checkpoints; and no row that a checkpoint covered at the time of a kill (a
 * finished range, or a range's keys up to its {@code last_key}) is written again afterwards. The
 * last point is observed by a trigger on the target table that logs every row the writer
 * inserts or upserts in a committed transaction, in order.
 */
class KillAtRandomPointsTest {
  private static final int ROWS = 12_000;
  private static final int KILLS = 3;
  @TempDir Path tmp;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 20261124})
  void killedThreeTimesThenResumed(long seed) throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE events (id bigint PRIMARY KEY, kind text, body text)",
        "INSERT INTO events SELECT g, 'k' || (g % 9), repeat('x', (g % 300)::int)"
            + " FROM generate_series(1, " + ROWS + ") g");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE events (id bigint PRIMARY KEY, kind text, body text)",
        "CREATE TABLE write_log (n bigserial PRIMARY KEY, id bigint NOT NULL)",
        "CREATE FUNCTION log_write() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN INSERT INTO write_log (id) VALUES (NEW.id); RETURN NEW; END $$",
        "CREATE TRIGGER log_write BEFORE INSERT ON events FOR EACH ROW"
            + " EXECUTE FUNCTION log_write()");
    List<String> flags = Runs.with(Runs.flags("kill-" + seed, src, dst, "events"),
        "--partitions=6", "--batchSize=250");
    List<String> childFlags = Runs.with(flags, "--maxRowsPerSecond=4000");

    Random random = new Random(seed);
    List<Snapshot> snapshots = new ArrayList<>();
    for (int kill = 1; kill <= KILLS; kill++) {
      // kill k lands between 10% and 30% (first), 35% and 55%, 60% and 80% of the rows
      long before = Runs.committedRows(dst);
      long at = (long) (ROWS * (0.1 + 0.25 * (kill - 1) + 0.2 * random.nextDouble()));
      File log = tmp.resolve("seed" + seed + "-run" + kill + ".log").toFile();
      Process child = Runs.child(childFlags, "512m", log);
      try {
        Runs.waitForCommitted(dst, Math.max(at, before + 1), child, log);
        Thread.sleep(random.nextInt(100));
      } finally {
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      }
      snapshots.add(new Snapshot(dst));
    }
    long committedAtLastKill = Runs.committedRows(dst);
    assertTrue(committedAtLastKill < ROWS, "the last kill came before the end");

    RunSummary last = Runs.run(flags);
    assertEquals(0, last.exitCode, last.error);
    assertTrue(last.resumed);
    assertEquals(last.rangesTotal, last.rangesDone);
    assertEquals(ROWS - committedAtLastKill, last.rowsRead,
        "the final run reads exactly the rows after the checkpoints");
    assertEquals((long) ROWS, Runs.committedRows(dst),
        "every row is counted once in the checkpoints");

    String digest = "SELECT count(*) || ':' || md5(string_agg(id || '|' || kind || '|' || body,"
        + " ',' ORDER BY id)) FROM events";
    assertEquals(src.scalar(digest), dst.scalar(digest));
    assertEquals((long) ROWS, ((Number) dst.scalar("SELECT count(DISTINCT id) FROM write_log"))
        .longValue());

    for (int k = 0; k < snapshots.size(); k++) {
      Snapshot s = snapshots.get(k);
      List<String> rewritten = new ArrayList<>();
      for (List<Object> row : dst.query("SELECT id FROM write_log WHERE n > " + s.logPosition
          + " ORDER BY n")) {
        long id = ((Number) row.get(0)).longValue();
        if (s.covers(id)) {
          rewritten.add(String.valueOf(id));
        }
      }
      assertTrue(rewritten.isEmpty(), "after kill " + (k + 1) + " rows already covered by a"
          + " checkpoint were written again: " + rewritten.subList(0,
          Math.min(20, rewritten.size())) + " (" + rewritten.size() + " in all)");
    }
  }

  /** What the checkpoints covered right after a kill, and how far the write log had got. */
  private static final class Snapshot {
    final long logPosition;
    final List<long[]> covered = new ArrayList<>();

    Snapshot(TestDatabase dst) {
      logPosition = ((Number) dst.scalar("SELECT COALESCE(max(n), 0) FROM write_log"))
          .longValue();
      for (List<Object> r : dst.query("SELECT lower_key, upper_key, last_key, done"
          + " FROM ferry_progress")) {
        long lower = r.get(0) == null ? Long.MIN_VALUE : key((String) r.get(0));
        long upper = r.get(1) == null ? Long.MAX_VALUE : key((String) r.get(1));
        if (Boolean.TRUE.equals(r.get(3))) {
          covered.add(new long[] {lower, upper - 1});
        } else if (r.get(2) != null) {
          covered.add(new long[] {lower, key((String) r.get(2))});
        }
      }
    }

    boolean covers(long id) {
      for (long[] c : covered) {
        if (id >= c[0] && id <= c[1]) {
          return true;
        }
      }
      return false;
    }

    private static long key(String encoded) {
      return ((Number) KeyCodec.decode(encoded)[0]).longValue();
    }
  }
}
