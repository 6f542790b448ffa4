package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottleAndSourceAccessTest {

  @Test
  void maxRowsPerSecondCapsTheReadRate() {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE t (id int PRIMARY KEY)",
        "INSERT INTO t SELECT g FROM generate_series(1, 3000) g");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE t (id int PRIMARY KEY)");
    RunSummary s = Backfills.run(Backfills.flags("throttle", src, dst, "t"),
        "--maxRowsPerSecond=1000", "--batchSize=100");
    assertEquals(0, s.exitCode, s.error);
    assertEquals(3000L, dst.count("t"));
    // 3,000 rows at 1,000 rows/s with no initial burst take at least 3 s of reading.
    assertTrue(s.seconds >= 2.9, "took " + s.seconds + " s");
  }

  @Test
  void aSelectOnlySourceUserIsEnough() {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE t (id int PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 500) g",
        "CREATE ROLE reader LOGIN", "GRANT SELECT ON t TO reader",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC", "REVOKE TEMP ON DATABASE " + src.name()
            + " FROM PUBLIC");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
    RunSummary s = Backfills.run(Backfills.flags("reader", src, dst, "t"), "--sourceUser=reader");
    assertEquals(0, s.exitCode, s.error);
    assertEquals(500L, dst.count("t"));
    assertEquals(List.of(List.of("t")), src.query("SELECT tablename::text FROM pg_tables WHERE"
        + " schemaname = 'public'"), "nothing was created on the source");
  }
}
