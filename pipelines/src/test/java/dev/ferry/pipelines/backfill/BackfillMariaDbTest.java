package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MariaDB (through mysql-connector-j) to PostgreSQL and back, with the types that differ. */
class BackfillMariaDbTest {
  @TempDir Path tmp;

  @Test
  void mariaDbToPostgresWithSchemaChange() throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    try (Connection c = src.connect(); Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_mode = ''");
      s.execute("CREATE TABLE legacy (id INT UNSIGNED PRIMARY KEY, flag TINYINT(1) NOT NULL,"
          + " price DECIMAL(10,3), created DATETIME(3), stamp TIMESTAMP NULL,"
          + " doc JSON, city VARCHAR(50) CHARACTER SET latin1, big BIGINT UNSIGNED,"
          + " born DATE, kind ENUM('a','b'), ratio DOUBLE) DEFAULT CHARSET=utf8mb4");
      s.execute("INSERT INTO legacy SELECT seq, seq % 2, seq / 8,"
          + " TIMESTAMP('2024-10-27 00:00:00') + INTERVAL seq MINUTE,"
          + " TIMESTAMP('2024-01-01 00:00:00') + INTERVAL seq SECOND,"
          + " JSON_OBJECT('n', seq, 'k', 'v'), CASE WHEN seq % 2 = 0 THEN 'München'"
          + " ELSE 'KÃ¶ln' END, 18446744073709551615 - seq, DATE('2000-01-01') + INTERVAL seq DAY,"
          + " IF(seq % 2 = 0, 'a', 'b'), seq / 3 FROM seq_1_to_3000");
      s.execute("UPDATE legacy SET born = '0000-00-00' WHERE id IN (10, 11)");
    }
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE modern (id bigint PRIMARY KEY, flag boolean NOT NULL,"
        + " price numeric(10,3), created timestamptz, stamp timestamptz, doc jsonb, city text,"
        + " big numeric(20), born date, kind text, ratio double precision)");
    Path mapping = Files.writeString(tmp.resolve("m.yaml"), String.join("\n",
        "columns:",
        "  - {name: created, fromZone: Europe/Berlin}",
        "  - {name: city, repairEncoding: true}"));
    RunSummary s = Backfills.run(Backfills.flags("maria", src, dst, "legacy"),
        "--targetTable=modern", "--mappingFile=" + mapping, "--maxDeadLetters=2");
    assertEquals(0, s.exitCode, s.error);
    assertEquals(2998L, dst.count("modern"));
    List<List<Object>> zeroDates = dst.query("SELECT row_key, column_name, stage FROM"
        + " ferry_dead_letter ORDER BY row_key");
    assertEquals(List.of(List.of("{\"id\":10}", "born", "read"),
        List.of("{\"id\":11}", "born", "read")), zeroDates);

    List<Object> row = dst.query("SELECT flag, price, created::text, stamp::text, doc::text,"
        + " city, big, born::text, kind, ratio FROM modern WHERE id = 150").get(0);
    assertEquals(false, row.get(0));
    assertEquals(new BigDecimal("18.750"), row.get(1));
    // 02:30 on 2024-10-27 happened twice in Berlin; the earlier (summer time) instant is used.
    assertEquals("2024-10-27 00:30:00+00", row.get(2));
    assertEquals("2024-01-01 00:02:30+00", row.get(3));
    assertEquals("{\"k\": \"v\", \"n\": 150}", row.get(4));
    assertEquals("München", row.get(5));
    assertEquals(new BigDecimal("18446744073709551465"), row.get(6));
    assertEquals("2000-05-30", row.get(7));
    assertEquals("a", row.get(8));
    assertEquals(50.0, (Double) row.get(9), 1e-9);
    assertEquals("Köln", dst.scalar("SELECT city FROM modern WHERE id = 151"));
    assertEquals(0L, dst.scalar("SELECT count(*) FROM modern WHERE city NOT IN"
        + " ('München', 'Köln')"));

    // Zero dates loaded as NULL when the spec says so, as a new job.
    RunSummary nulls = Backfills.run(Backfills.flags("maria-null", src, dst, "legacy"),
        "--targetTable=modern", "--mappingFile=" + mapping, "--zeroDates=null");
    assertEquals(0, nulls.exitCode, nulls.error);
    assertEquals(3000L, dst.count("modern"));
    assertEquals(null, dst.scalar("SELECT born FROM modern WHERE id = 10"));
  }

  @Test
  void postgresToMariaDb() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE items (sku text, region text, qty int, active boolean,"
            + " seen timestamptz, price numeric(8,2), PRIMARY KEY (sku, region))",
        "INSERT INTO items SELECT 'sku-' || (g / 3), 'r' || (g % 3), g, g % 2 = 0,"
            + " timestamptz '2024-06-01 12:00+02' + g * interval '1 hour', g * 1.25"
            + " FROM generate_series(1, 2400) g",
        "INSERT INTO items VALUES ('sku-long-name-that-does-not-fit', 'r0', 1, true, now(), 1)");
    TestDatabase dst = EmbeddedDatabases.newMariaDb();
    dst.execute("CREATE TABLE stock (sku VARCHAR(20) NOT NULL, region CHAR(2) NOT NULL,"
        + " quantity INT, is_active TINYINT(1), seen_at DATETIME, price DECIMAL(8,2),"
        + " PRIMARY KEY (sku, region))");
    Path mapping = Files.writeString(tmp.resolve("m.yaml"), String.join("\n",
        "columns:",
        "  - {name: quantity, from: qty}",
        "  - {name: is_active, from: active}",
        "  - {name: seen_at, from: seen}",
        "drop: [qty, active, seen]"));
    RunSummary s = Backfills.run(Backfills.flags("to-maria", src, dst, "items"),
        "--targetTable=stock", "--mappingFile=" + mapping, "--maxDeadLetters=1");
    assertEquals(0, s.exitCode, s.error);
    assertEquals(2400L, dst.count("stock"));
    List<Object> row = dst.query("SELECT quantity, is_active, seen_at, price FROM stock WHERE"
        + " sku = 'sku-10' AND region = 'r1'").get(0);
    assertEquals(31, ((Number) row.get(0)).intValue());
    assertEquals(false, row.get(1));
    assertEquals("2024-06-02T17:00", row.get(2).toString(), "instants land as UTC wall time");
    assertEquals(new BigDecimal("38.75"), row.get(3));
    String error = (String) dst.scalar("SELECT error FROM ferry_dead_letter");
    assertTrue(error.contains("column sku: text of 31 characters does not fit in 20"), error);
  }
}
