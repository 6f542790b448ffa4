package dev.ferry.pipelines.fill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-place fill on MariaDB: the same job as on PostgreSQL; a trigger records every row an UPDATE
 * touches, so it shows that filled rows are never touched and that a re-run touches nothing.
 */
class FillMariaDbTest {
  private static final int ROWS = 2000;
  @TempDir Path tmp;

  @Test
  void fillsOnlyEmptyCellsAndARerunTouchesNothing() throws Exception {
    TestDatabase db = EmbeddedDatabases.newMariaDb();
    db.execute("SET SESSION max_recursive_iterations = 100000",
        "CREATE TABLE orders (id BIGINT PRIMARY KEY, email VARCHAR(100),"
            + " email_lower VARCHAR(100), phone VARCHAR(30), total DECIMAL(10,2))",
        "INSERT INTO orders WITH RECURSIVE seq(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM seq"
            + " WHERE g < " + ROWS + ") SELECT g, CONCAT(' User', g % 500, '@Example.COM '),"
            + " CASE WHEN g % 11 = 0 THEN 'keep' END,"
            + " CASE WHEN g % 7 = 0 THEN CONCAT('keep-', g) END, g / 100 FROM seq",
        "CREATE TABLE email_lookup (email VARCHAR(100) PRIMARY KEY, phone VARCHAR(30))",
        "INSERT INTO email_lookup WITH RECURSIVE u(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM u"
            + " WHERE n < 399) SELECT CONCAT('user', n, '@example.com'), CONCAT('+49-', 1000 + n)"
            + " FROM u",
        "CREATE TABLE touches (id BIGINT NOT NULL)",
        "CREATE TRIGGER orders_touched BEFORE UPDATE ON orders FOR EACH ROW"
            + " INSERT INTO touches VALUES (NEW.id)");
    Path spec = Fills.phoneSpec(tmp, "fill-maria", db, "auto");

    RunSummary first = Fills.run("--spec=" + spec);
    assertEquals(0, first.exitCode, first.error);
    String wrong = "SELECT count(*) FROM orders o LEFT JOIN email_lookup l"
        + " ON l.email = lower(trim(o.email)) WHERE NOT ("
        + " CASE WHEN o.id % 7 = 0 THEN o.phone <=> CONCAT('keep-', o.id) ELSE o.phone <=> l.phone"
        + " END AND CASE WHEN o.id % 11 = 0 THEN o.email_lower <=> 'keep'"
        + " ELSE o.email_lower <=> lower(trim(o.email)) END)";
    assertEquals(0L, ((Number) db.scalar(wrong)).longValue());
    long touched = db.count("touches");
    assertEquals(first.rowsWritten, touched, "every row written was touched once");
    assertEquals(0L, ((Number) db.scalar("SELECT count(*) FROM touches WHERE id % 77 = 0"))
        .longValue(), "rows with no empty cell are never updated");

    RunSummary again = Fills.run("--spec=" + spec, "--restart");
    assertEquals(0, again.exitCode, again.error);
    assertTrue(again.rowsRead > 0, "the rows without a phone are read again");
    assertEquals(touched, db.count("touches"), "a re-run updates no row");
  }
}
