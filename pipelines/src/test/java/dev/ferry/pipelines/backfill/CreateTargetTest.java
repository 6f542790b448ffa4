package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.cli.Ferry;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's first backfill, as the README's quickstart runs it: a fresh PostgreSQL database with
 * neither ferry's state schema nor the target table. ferry creates the schema, and with {@code
 * target.create} the table, typed from the MariaDB catalog as {@code ferry migrate} types it.
 */
class CreateTargetTest {
  @TempDir Path tmp;

  @Test
  void theQuickstartRunsOnAFreshTargetAndCreatesStateSchemaAndTable() throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE orders (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " status ENUM('new','paid','shipped') NOT NULL DEFAULT 'new',"
            + " total DECIMAL(10,2) NOT NULL, placed DATETIME NOT NULL, gift TINYINT(1),"
            + " email VARCHAR(100), note TEXT,"
            + " changed TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        "INSERT INTO orders (status, total, placed, gift, email, note)"
            + " SELECT ELT(1 + seq % 3, 'new', 'paid', 'shipped'), seq * 1.5,"
            + " TIMESTAMP('2024-04-02 12:00:00') + INTERVAL seq MINUTE, seq % 2,"
            + " CONCAT(' Buyer', seq, '@Example.com '), IF(seq % 7 = 0, NULL, 'ok')"
            + " FROM seq_1_to_500");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    Path spec = tmp.resolve("orders.yaml");
    Files.writeString(spec, String.join("\n",
        "job: orders-to-pg",
        "source:",
        "  url: " + src.jdbcUrl(),
        "  user: " + src.user(),
        "  table: orders",
        "target:",
        "  url: " + dst.jdbcUrl(),
        "  user: " + dst.user(),
        "  table: sales.orders",
        "  stateSchema: ferry",
        "  create: true",
        "mapping:",
        "  columns:",
        "    - {name: order_id, from: id}",
        "    - {name: email, ops: [trim, lower]}",
        "    - {name: placed_at, from: placed, fromZone: Europe/Berlin}",
        ""), StandardCharsets.UTF_8);
    assertEquals(0L, dst.scalar("SELECT count(*) FROM pg_namespace"
        + " WHERE nspname IN ('ferry', 'sales')"), "a fresh target");

    assertEquals(0, Ferry.run(new String[] {"backfill", "--spec=" + spec}));

    assertEquals(List.of(List.of("ferry_dead_letter"), List.of("ferry_progress"),
        List.of("ferry_runs")), dst.query("SELECT tablename FROM pg_tables"
            + " WHERE schemaname = 'ferry' ORDER BY tablename"));
    Map<String, String> columns = new LinkedHashMap<>();
    for (List<Object> row : dst.query("SELECT attname, format_type(atttypid, atttypmod),"
        + " attnotnull FROM pg_attribute WHERE attrelid = 'sales.orders'::regclass"
        + " AND attnum > 0 ORDER BY attnum")) {
      columns.put((String) row.get(0), row.get(1) + (Boolean.TRUE.equals(row.get(2))
          ? " not null" : ""));
    }
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("order_id", "integer not null");
    expected.put("status", "text not null");
    expected.put("total", "numeric(10,2) not null");
    expected.put("placed_at", "timestamp(0) with time zone not null");
    expected.put("gift", "boolean");
    expected.put("email", "character varying(100)");
    expected.put("note", "text");
    expected.put("changed", "timestamp(0) with time zone not null");
    assertEquals(expected, columns);
    assertEquals(List.of(List.of("order_id")), dst.query("SELECT a.attname FROM pg_index i"
        + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
        + " WHERE i.indrelid = 'sales.orders'::regclass AND i.indisprimary"));
    assertEquals(500L, dst.count("sales.orders"));
    assertEquals(List.of(List.of("buyer7@example.com", "2024-04-02T10:07:00Z", "paid")),
        dst.query("SELECT email, to_char(placed_at AT TIME ZONE 'UTC',"
            + " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), status FROM sales.orders"
            + " WHERE order_id = 7"));
    // The ENUM's labels hold in PostgreSQL as in MariaDB.
    IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> dst.execute("UPDATE sales.orders"
            + " SET status = 'lost' WHERE order_id = 1"));
    assertTrue(refused.getCause().getMessage().contains("check constraint"),
        refused.getCause().getMessage());

    // Run again: the table exists and is kept, the copy is a no-op resume; reconcile agrees.
    assertEquals(0, Ferry.run(new String[] {"backfill", "--spec=" + spec}));
    assertEquals(0, Ferry.run(new String[] {"reconcile", "--spec=" + spec}));
  }

  /** The spec the README's quickstart shows, word for word but for the addresses. */
  @Test
  void theReadmeQuickstartSpecExitsZeroOnAFreshTarget() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("# orders.yaml\n");
    assertTrue(start > 0, "README.md shows orders.yaml");
    String yaml = readme.substring(start, readme.indexOf("```", start));
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE orders (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " status ENUM('new','paid') NOT NULL, total DECIMAL(10,2), placed DATETIME,"
            + " gift TINYINT(1), note TEXT, changed TIMESTAMP NULL)",
        "INSERT INTO orders (status, total, placed, gift, note, changed) SELECT"
            + " IF(seq % 2, 'new', 'paid'), seq / 4, '2024-05-01 10:00:00' + INTERVAL seq DAY,"
            + " seq % 2, REPEAT('x', seq), NULL FROM seq_1_to_300");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    Path spec = tmp.resolve("orders.yaml");
    Files.writeString(spec, yaml
        .replace("jdbc:mysql://legacy-db:3306/shop", src.jdbcUrl())
        .replace("user: ferry_reader", "user: " + src.user())
        .replace("jdbc:postgresql://new-db:5432/shop", dst.jdbcUrl())
        .replace("user: ferry,", "user: " + dst.user() + ","), StandardCharsets.UTF_8);
    RunSummary run = Backfills.run(Map.of("FERRY_SOURCE_PASSWORD", src.password(),
        "FERRY_TARGET_PASSWORD", dst.password()), "--spec=" + spec);
    assertEquals(ExitCodes.OK, run.exitCode, run.error);
    assertEquals(300L, dst.count("orders"));
    assertEquals(3L, dst.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'ferry'"));
  }

  /** --naming=snake creates and fills invoice_line.unit_price from InvoiceLine.UnitPrice. */
  @Test
  void snakeNamingForATableItCreates() {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE InvoiceLine (InvoiceLineId INT PRIMARY KEY,"
            + " UnitPrice DECIMAL(10,2), HTTPStatus SMALLINT, `Order` VARCHAR(10))",
        "INSERT INTO InvoiceLine SELECT seq, seq * 0.99, 200, CONCAT('o', seq)"
            + " FROM seq_1_to_50");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    List<String> flags = Backfills.flags("lines", src, dst, "InvoiceLine");
    flags.addAll(List.of("--createTarget", "--naming=snake", "--stateSchema=ferry"));
    RunSummary run = Backfills.run(flags);
    assertEquals(ExitCodes.OK, run.exitCode, run.error);
    assertEquals(List.of(List.of("invoice_line_id"), List.of("unit_price"),
        List.of("http_status"), List.of("order")), dst.query("SELECT attname FROM pg_attribute"
            + " WHERE attrelid = 'invoice_line'::regclass AND attnum > 0 ORDER BY attnum"));
    assertEquals("49.50", dst.scalar("SELECT unit_price::text FROM invoice_line"
        + " WHERE invoice_line_id = 50"));
    List<String> reconcile = new java.util.ArrayList<>(flags);
    reconcile.removeIf(f -> f.startsWith("--createTarget"));
    reconcile.add(0, "reconcile");
    assertEquals(0, Ferry.run(reconcile.toArray(new String[0])));
  }

  @Test
  void columnsWithoutASourceTypeAreRefusedByName() {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE t (id INT PRIMARY KEY, tags SET('a','b'), first VARCHAR(9),"
        + " last VARCHAR(9))", "INSERT INTO t VALUES (1, 'a', 'x', 'y')");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    List<String> flags = Backfills.flags("t", src, dst, "t");
    flags.add("--createTarget");
    RunSummary set = Backfills.run(flags);
    assertEquals(ExitCodes.INVALID, set.exitCode);
    assertTrue(set.error.contains("target.create: column 'tags' (set('a','b') -> text[])"),
        set.error);

    Path mapping = tmp.resolve("t.yaml");
    writeQuietly(mapping, "drop: [tags]\ncolumns:\n"
        + "  - {name: name, concat: [first, last], separator: ' '}\n");
    RunSummary concat = Backfills.run(flags, "--mappingFile=" + mapping);
    assertEquals(ExitCodes.INVALID, concat.exitCode);
    assertTrue(concat.error.contains("cannot type target column 'name'"), concat.error);
    assertEquals(0L, dst.scalar("SELECT count(*) FROM pg_tables WHERE tablename = 't'"));

    RunSummary postgresSource = Backfills.run(Backfills.flags("pg", dst, dst, "x"),
        "--createTarget");
    assertEquals(ExitCodes.INVALID, postgresSource.exitCode);
    assertTrue(postgresSource.error.contains("needs a MySQL or MariaDB source table"),
        postgresSource.error);
  }

  private static void writeQuietly(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
