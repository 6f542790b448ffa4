package dev.ferry.pipelines.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Table, key and column names with spaces, semicolons, quotes, SQL comments, reserved words and
 * mixed case, through every statement the backfill builds: range planning and reads (including
 * the per-row lookup of large values), COPY and upserts, on PostgreSQL and MariaDB targets.
 * They are quoted, never executed: the table {@code keep} that the names try to drop survives.
 */
class HostileNamesTest {
  private static final String TABLE = "Order Lines; DROP TABLE keep; --";

  @Test
  void hostileNamesAreQuotedEverywhere() {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    String columns = "(\"Key Col\" bigint PRIMARY KEY, \"select\" text, \"Mixed Case\" int,"
        + " \"we\"\"ird;--\" text, \"a b\" jsonb)";
    src.execute("CREATE TABLE keep (id int)",
        "CREATE TABLE \"" + TABLE + "\" " + columns,
        "INSERT INTO \"" + TABLE + "\" SELECT g, 'v' || g, g, 'w' || g,"
            + " jsonb_build_object('g', g) FROM generate_series(1, 300) g",
        // values above the large-value threshold take the per-row lookup by key
        "UPDATE \"" + TABLE + "\" SET \"select\" = repeat('s', 100000),"
            + " \"a b\" = jsonb_build_object('big', repeat('j', 100000)) WHERE \"Key Col\" = 150");
    String digest = "SELECT count(*) || ':' || md5(string_agg(\"Key Col\" || '|' || \"select\""
        + " || '|' || \"Mixed Case\" || '|' || \"we\"\"ird;--\" || '|' || (\"a b\"->>'g')::text"
        + " || coalesce(length(\"a b\"->>'big'), 0), ',' ORDER BY \"Key Col\")) FROM \"" + TABLE
        + "\"";

    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("CREATE TABLE keep (id int)", "CREATE TABLE \"" + TABLE + "\" " + columns);
    RunSummary toPg = Runs.run(Runs.flags("hostile-pg", src, pg, "\"" + TABLE + "\""),
        "--batchSize=100");
    assertEquals(0, toPg.exitCode, toPg.error);
    assertEquals(src.scalar(digest), pg.scalar(digest));

    TestDatabase maria = EmbeddedDatabases.newMariaDb();
    maria.execute("CREATE TABLE keep (id int)", "CREATE TABLE `" + TABLE + "` (`Key Col` bigint"
        + " PRIMARY KEY, `select` longtext, `Mixed Case` int, `we\"ird;--` text, `a b` json)");
    RunSummary toMaria = Runs.run(Runs.flags("hostile-maria", src, maria, "\"" + TABLE + "\""),
        "--batchSize=100");
    assertEquals(0, toMaria.exitCode, toMaria.error);
    assertEquals(300L, maria.count("`" + TABLE + "`"));
    assertEquals(100000L, ((Number) maria.scalar("SELECT length(`select`) FROM `" + TABLE
        + "` WHERE `Key Col` = 150")).longValue());
    assertEquals("w150", maria.scalar("SELECT `we\"ird;--` FROM `" + TABLE
        + "` WHERE `Key Col` = 150"));

    for (TestDatabase db : new TestDatabase[] {src, pg, maria}) {
      assertEquals(0L, db.count("keep"), "keep survives in " + db.name());
    }
  }
}
