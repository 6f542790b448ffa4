package dev.ferry.pipelines.fill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-place fill on PostgreSQL: orders.email_lower from an expression of the same row and
 * orders.phone from email_lookup, only where they are NULL; a re-run changes no row version.
 */
class FillPostgresTest {
  static final int ROWS = 3000;
  @TempDir Path tmp;

  /**
   * Orders of 500 users with untidy emails; users 0-399 are in email_lookup. Every 7th row
   * already has a phone and every 11th an email_lower: the fill must leave them as they are.
   */
  static TestDatabase orders(int rows) {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE orders (id bigint PRIMARY KEY, email text, email_lower text,"
            + " phone text, total numeric(10,2))",
        "INSERT INTO orders SELECT g, ' User' || (g % 500) || '@Example.COM ',"
            + " CASE WHEN g % 11 = 0 THEN 'keep' END, CASE WHEN g % 7 = 0 THEN 'keep-' || g END,"
            + " g / 100.0 FROM generate_series(1, " + rows + ") g",
        "CREATE TABLE email_lookup (email text PRIMARY KEY, phone text)",
        "INSERT INTO email_lookup SELECT 'user' || u || '@example.com', '+49-' || (1000 + u)"
            + " FROM generate_series(0, 399) u");
    return db;
  }

  /** Rows that differ from what the fill must leave: 0 when it did its job exactly. */
  static final String WRONG_ROWS = "SELECT count(*) FROM orders o LEFT JOIN email_lookup l"
      + " ON l.email = lower(trim(o.email)) WHERE NOT ("
      + " CASE WHEN o.id % 7 = 0 THEN o.phone IS NOT DISTINCT FROM 'keep-' || o.id"
      + " ELSE o.phone IS NOT DISTINCT FROM l.phone END"
      + " AND CASE WHEN o.id % 11 = 0 THEN o.email_lower IS NOT DISTINCT FROM 'keep'"
      + " ELSE o.email_lower IS NOT DISTINCT FROM lower(trim(o.email)) END)";

  private static final String TABLE_DIGEST = "SELECT md5(string_agg(id || '|' || email || '|'"
      + " || coalesce(email_lower, '-') || '|' || coalesce(phone, '-'), ',' ORDER BY id))"
      + " FROM orders";

  @Test
  void fillsOnlyEmptyCellsAndARerunTouchesNothing() throws Exception {
    TestDatabase db = orders(ROWS);
    Path spec = Fills.phoneSpec(tmp, "fill-pg", db, "auto");

    RunSummary first = Fills.run("--spec=" + spec);
    assertEquals(0, first.exitCode, first.error);
    assertEquals("fill", first.kind);
    assertEquals(0L, ((Number) db.scalar(WRONG_ROWS)).longValue());
    long unmatched = ((Number) db.scalar("SELECT count(*) FROM orders WHERE phone IS NULL"))
        .longValue();
    assertTrue(unmatched > 0 && unmatched < ROWS / 4, "users 400-499 have no phone: "
        + unmatched);
    assertEquals(ROWS - ROWS / 77, first.rowsRead, "only rows with an empty cell are read");

    String versions = "SELECT md5(string_agg(xmin::text, ',' ORDER BY id)) FROM orders";
    String before = (String) db.scalar(versions);
    RunSummary again = Fills.run("--spec=" + spec, "--restart");
    assertEquals(0, again.exitCode, again.error);
    assertEquals(unmatched, again.rowsRead, "a re-run reads the rows that are still empty");
    assertEquals(0, again.rowsWritten);
    assertEquals(before, db.scalar(versions), "a re-run writes no row version");
  }

  @Test
  void sideInputAndJoinFillTheSame() throws Exception {
    TestDatabase bySideInput = orders(ROWS);
    TestDatabase byJoin = orders(ROWS);
    RunSummary a = Fills.run("--spec=" + Fills.phoneSpec(tmp, "side", bySideInput,
        "sideInput"));
    RunSummary b = Fills.run("--spec=" + Fills.phoneSpec(tmp, "join", byJoin, "join"));
    assertEquals(0, a.exitCode, a.error);
    assertEquals(0, b.exitCode, b.error);
    assertEquals(0L, ((Number) byJoin.scalar(WRONG_ROWS)).longValue());
    assertEquals(bySideInput.scalar(TABLE_DIGEST), byJoin.scalar(TABLE_DIGEST));
  }

  @Test
  void aColumnNothingFillsIsRefusedBeforeAnyWork() throws Exception {
    TestDatabase db = orders(ROWS);
    RunSummary s = Fills.run("--spec=" + Fills.phoneSpec(tmp, "bad", db, "auto"),
        "--fillColumns=total");
    assertEquals(ExitCodes.INVALID, s.exitCode);
    assertTrue(s.error.contains("fill.columns: nothing gives 'total' a value: add a mapping"
        + " rule {name: total, …} or a lookup that fills it"), s.error);
    s = Fills.run("--spec=" + Fills.phoneSpec(tmp, "key", db, "auto"), "--fillColumns=id");
    assertTrue(s.error.contains("'id' is part of the key"), s.error);
  }
}
