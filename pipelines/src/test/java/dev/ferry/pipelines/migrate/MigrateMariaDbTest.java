package dev.ferry.pipelines.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.cli.Ferry;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole MariaDB database migrated to PostgreSQL: every type the default rules cover, foreign
 * keys with a self-reference and a two-table cycle, a latin1 table, AUTO_INCREMENT with gaps,
 * names that need quoting, and a table that fails mid-migration and is fixed and re-run.
 */
class MigrateMariaDbTest {
  @TempDir Path tmp;

  @Test
  void migratesEveryTypeInForeignKeyOrderAndResumesAfterAFailure() throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    seed(src);
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    Path mappings = tmp.resolve("mappings");
    String[] flags = {"--datetimeAs=timestamptz", "--sourceZone=Europe/Berlin"};

    // 1. One row of `order lines` has a TIME PostgreSQL cannot hold: the migration stops there.
    MigrationSummary failed = Migrations.migrate(src, dst, mappings, flags);
    assertEquals(ExitCodes.TOO_MANY_DEAD_LETTERS, failed.exitCode, failed.error);
    assertEquals("order lines", failed.failedTable);
    assertTrue(failed.error.contains("--reload=order lines"), failed.error);
    Map<String, String> phases = Migrations.phases(dst);
    assertEquals("LOADED", phases.get("customers"));
    assertEquals("LOADED", phases.get("employees"));
    assertEquals("LOADED", phases.get("a_cycle"));
    assertEquals("CREATED", phases.get("order lines"));
    // Tables load several at once: those not started when `order lines` failed stay CREATED, and
    // no table goes past LOADED while one is not loaded.
    assertTrue(phases.values().stream().allMatch(p -> p.equals("LOADED") || p.equals("CREATED")),
        phases.toString());
    assertEquals(0L, dst.scalar("SELECT count(*) FROM pg_constraint WHERE contype = 'f'"),
        "no foreign keys before every table is loaded");
    String error = (String) dst.scalar("SELECT error FROM ferry.ferry_dead_letter");
    assertTrue(error.contains("100:00:00"), error);

    // 2. Fixed in the source and run again: only the failed table is copied again.
    src.execute("UPDATE `order lines` SET duration = '10:00:00' WHERE id = 5");
    MigrationSummary resumed = Migrations.migrate(src, dst, mappings,
        flags[0], flags[1], "--reload=order lines");
    assertEquals(ExitCodes.OK, resumed.exitCode, resumed.error);
    Map<String, MigrationSummary.TableResult> results = resumed.tables.stream()
        .collect(Collectors.toMap(t -> t.table, t -> t));
    assertFalse(results.get("customers").loadedThisRun);
    assertTrue(results.get("order lines").loadedThisRun);
    assertEquals(1L, runs(dst, results.get("zones").job),
        "zones loaded once, by whichever run reached it");
    assertEquals(1L, runs(dst, results.get("customers").job), "customers loaded once");
    assertEquals(2L, runs(dst, results.get("order lines").job));
    assertTrue(Migrations.phases(dst).values().stream().allMatch("VERIFIED"::equals),
        Migrations.phases(dst).toString());

    checkDdl(dst);
    checkData(src, dst);
    checkSequences(src, dst);
    checkConstraints(dst);
    checkMappingFiles(mappings);

    // 3. Run once more: everything is done, nothing is copied.
    MigrationSummary again = Migrations.migrate(src, dst, mappings, flags);
    assertEquals(ExitCodes.OK, again.exitCode, again.error);
    assertTrue(again.tables.stream().noneMatch(t -> t.loadedThisRun));

    // 4. Other options would convert differently from what the target holds: refused.
    MigrationSummary changed = Migrations.migrate(src, dst, mappings, flags[0],
        "--sourceZone=Europe/Paris");
    assertEquals(ExitCodes.INVALID, changed.exitCode);
    assertTrue(changed.error.contains("tables [customers] were created by an earlier run"),
        changed.error);
  }

  /**
   * ENUM as a PostgreSQL enum type; MySQL's '' marker for an invalid value is dead-lettered (one is
   * allowed), and the row-count check then reports the missing row.
   */
  @Test
  void enumTypesAndADifferenceFoundByTheCheck() throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    try (Connection c = src.connect(); Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_mode = ''");
      s.execute("CREATE TABLE tickets (id INT PRIMARY KEY, state ENUM('open','in work','done'))");
      s.execute("INSERT INTO tickets VALUES (1, 'open'), (2, 'in work'), (3, 'bogus'), (4, NULL)");
    }
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    // Through the command line, as a user runs it (with its DirectRunner defaults).
    int exitCode = Ferry.run(new String[] {"migrate", "--sourceUrl=" + src.jdbcUrl(),
        "--sourceUser=" + src.user(), "--targetUrl=" + dst.jdbcUrl(),
        "--targetUser=" + dst.user(), "--mappingsDir=" + tmp.resolve("m"), "--enumAs=type",
        "--maxDeadLetters=1", "--targetSchema=app"});
    assertEquals(ExitCodes.DIFFERENCES, exitCode);
    assertEquals("USER-DEFINED", dst.scalar("SELECT data_type FROM information_schema.columns"
        + " WHERE table_schema = 'app' AND column_name = 'state'"));
    assertEquals("e", dst.scalar("SELECT typtype::text FROM pg_type t JOIN pg_namespace n"
        + " ON n.oid = t.typnamespace WHERE nspname = 'app' AND typname = 'tickets_state'"));
    assertEquals(List.of(List.of(1, "open"), List.of(2, "in work"), List.of(4, "NULL")),
        dst.query("SELECT id, coalesce(state::text, 'NULL') FROM app.tickets ORDER BY id"));
    assertEquals("CONSTRAINED", Migrations.phases(dst).get("tickets"));
    String detail = (String) dst.scalar("SELECT detail FROM ferry.ferry_migration");
    assertTrue(detail.contains("1 differing keys") && detail.contains("missing=1"), detail);
  }

  private static void seed(TestDatabase src) throws SQLException {
    try (Connection c = src.connect(); Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_mode = ''");
      s.execute("SET SESSION time_zone = '+00:00'");
      s.execute("CREATE TABLE customers (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,"
          + " email VARCHAR(100) NOT NULL, active TINYINT(1) NOT NULL DEFAULT 1,"
          + " created DATETIME(3) NULL, updated TIMESTAMP NULL DEFAULT NULL, born DATE NULL,"
          + " tier ENUM('free','pro','vip a') NOT NULL DEFAULT 'free',"
          + " tags SET('a','b','c d','say \"hi\"') NULL, since YEAR NULL, prefs JSON NULL,"
          + " avatar BLOB NULL, balance DECIMAL(12,2) NULL, big BIGINT UNSIGNED NULL,"
          + " small SMALLINT UNSIGNED NULL, flags BIT(5) NULL, loc POINT NULL,"
          + " UNIQUE KEY email_uq (email), KEY created_idx (created)) DEFAULT CHARSET=utf8mb4");
      s.execute("INSERT INTO customers (id, email, active, created, updated, born, tier, tags,"
          + " since, prefs, avatar, balance, big, small, flags, loc)"
          + " SELECT seq, CONCAT('c', seq, '@example.com'), seq % 2,"
          + " TIMESTAMP('2024-06-01 12:00:00.250') + INTERVAL seq HOUR,"
          + " TIMESTAMP('2024-01-01 00:00:00') + INTERVAL seq MINUTE,"
          + " IF(seq % 50 = 0, '0000-00-00', DATE('1980-01-01') + INTERVAL seq DAY),"
          + " ELT(1 + seq % 3, 'free', 'pro', 'vip a'),"
          + " ELT(1 + seq % 4, '', 'a', 'a,c d', 'b,say \"hi\"'), 1990 + seq % 30,"
          + " JSON_OBJECT('n', seq, 'tags', JSON_ARRAY('x', seq)),"
          + " UNHEX(LPAD(HEX(seq), 8, '0')), seq * 1.25, 18446744073709551615 - seq,"
          + " 65535 - seq, seq % 32, POINT(seq, -seq) FROM seq_1_to_300");
      // Gaps, and a deleted tail: MySQL's next AUTO_INCREMENT (301) is above max(id) + 1.
      s.execute("DELETE FROM customers WHERE id IN (7, 8, 9, 100, 298, 299, 300)");
      s.execute("CREATE TABLE employees (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
          + " name VARCHAR(50) NOT NULL, manager_id INT NULL,"
          + " CONSTRAINT emp_manager FOREIGN KEY (manager_id) REFERENCES employees (id))");
      s.execute("INSERT INTO employees SELECT seq, CONCAT('e', seq), IF(seq = 1, NULL, seq DIV 2)"
          + " FROM seq_1_to_40");
      s.execute("CREATE TABLE a_cycle (id INT PRIMARY KEY, b_id INT NULL)");
      s.execute("CREATE TABLE b_cycle (id INT PRIMARY KEY, a_id INT NULL,"
          + " CONSTRAINT b_to_a FOREIGN KEY (a_id) REFERENCES a_cycle (id))");
      s.execute("ALTER TABLE a_cycle ADD CONSTRAINT a_to_b FOREIGN KEY (b_id)"
          + " REFERENCES b_cycle (id)");
      s.execute("INSERT INTO a_cycle SELECT seq, NULL FROM seq_1_to_20");
      s.execute("INSERT INTO b_cycle SELECT seq, seq FROM seq_1_to_20");
      s.execute("UPDATE a_cycle SET b_id = id");
      s.execute("CREATE TABLE `order lines` (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
          + " customer_id INT UNSIGNED NOT NULL, `Select` VARCHAR(20), qty SMALLINT,"
          + " duration TIME NULL, CONSTRAINT ol_customer FOREIGN KEY (customer_id)"
          + " REFERENCES customers (id) ON DELETE CASCADE)");
      s.execute("INSERT INTO `order lines` (customer_id, `Select`, qty, duration)"
          + " SELECT id, CONCAT('s', id), id % 7, '01:30:00' FROM customers ORDER BY id");
      s.execute("UPDATE `order lines` SET duration = '100:00:00' WHERE id = 5");
      s.execute("CREATE TABLE legacy_latin1 (id INT PRIMARY KEY, city VARCHAR(40))"
          + " DEFAULT CHARSET=latin1");
      s.execute("INSERT INTO legacy_latin1 VALUES (1, 'Köln'), (2, 'Straße'), (3, 'Zürich'),"
          + " (4, NULL)");
      s.execute("CREATE TABLE zones (code CHAR(2) PRIMARY KEY, name VARCHAR(40))");
      s.execute("INSERT INTO zones VALUES ('eu', 'Europe'), ('us', 'Americas')");
    }
  }

  private static long runs(TestDatabase dst, String job) {
    return ((Number) dst.scalar("SELECT count(*) FROM ferry.ferry_runs WHERE job = '" + job
        + "'")).longValue();
  }

  private static void checkDdl(TestDatabase dst) {
    Map<String, String> types = new HashMap<>();
    for (List<Object> row : dst.query("SELECT column_name, CASE WHEN data_type IN ('numeric',"
        + " 'bit') THEN format_type(a.atttypid, a.atttypmod) ELSE data_type END, is_identity"
        + " FROM information_schema.columns c JOIN pg_attribute a"
        + " ON a.attrelid = 'customers'::regclass AND a.attname = c.column_name"
        + " WHERE table_name = 'customers'")) {
      types.put((String) row.get(0), row.get(1) + ("YES".equals(row.get(2)) ? " identity" : ""));
    }
    Map<String, String> expected = new HashMap<>();
    expected.put("id", "bigint identity");
    expected.put("email", "character varying");
    expected.put("active", "boolean");
    expected.put("created", "timestamp with time zone");
    expected.put("updated", "timestamp with time zone");
    expected.put("born", "date");
    expected.put("tier", "text");
    expected.put("tags", "ARRAY");
    expected.put("since", "integer");
    expected.put("prefs", "jsonb");
    expected.put("avatar", "bytea");
    expected.put("balance", "numeric(12,2)");
    expected.put("big", "numeric(20,0)");
    expected.put("small", "integer");
    expected.put("flags", "bit(5)");
    expected.put("loc", "bytea");
    assertEquals(expected, types);
    assertEquals(List.of(List.of("customers_created_idx"), List.of("customers_email_uq"),
            List.of("customers_pkey")),
        dst.query("SELECT indexname FROM pg_indexes WHERE tablename = 'customers'"
            + " ORDER BY indexname"));
    // --naming=lower (the default): `Select` becomes select, quoted as the reserved word it is.
    assertEquals(List.of(List.of("customer_id"), List.of("duration"),
            List.of("id"), List.of("qty"), List.of("select")),
        dst.query("SELECT column_name FROM information_schema.columns"
            + " WHERE table_name = 'order lines' ORDER BY column_name COLLATE \"C\""));
  }

  /** Every row of every column type, compared as text both engines render the same way. */
  private static void checkData(TestDatabase src, TestDatabase dst) {
    same(src, dst, "customers ids", "GROUP_CONCAT(id ORDER BY id)",
        "string_agg(id::text, ',' ORDER BY id)", "customers");
    same(src, dst, "email, active, tier, since, balance, big, small",
        "GROUP_CONCAT(CONCAT_WS('|', email, IF(active, 't', 'f'), tier, since, balance, big,"
            + " small) ORDER BY id SEPARATOR ';')",
        "string_agg(concat_ws('|', email, CASE WHEN active THEN 't' ELSE 'f' END, tier, since,"
            + " balance, big, small), ';' ORDER BY id)", "customers");
    // DATETIME read as Berlin wall time (summer: UTC+2); TIMESTAMP is an instant already.
    same(src, dst, "created",
        "GROUP_CONCAT(DATE_FORMAT(created - INTERVAL 2 HOUR, '%Y-%m-%d %H:%i:%s.%f') ORDER BY id)",
        "string_agg(to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), ','"
            + " ORDER BY id)", "customers");
    same(src, dst, "updated", "GROUP_CONCAT(UNIX_TIMESTAMP(updated) ORDER BY id)",
        "string_agg(extract(epoch FROM updated)::bigint::text, ',' ORDER BY id)", "customers");
    same(src, dst, "born, zero dates as NULL",
        "GROUP_CONCAT(IF(born = '0000-00-00', 'null', born) ORDER BY id)",
        "string_agg(coalesce(born::text, 'null'), ',' ORDER BY id)", "customers");
    same(src, dst, "tags", "GROUP_CONCAT(tags ORDER BY id SEPARATOR ';')",
        "string_agg(array_to_string(tags, ','), ';' ORDER BY id)", "customers");
    same(src, dst, "avatar, flags, loc",
        "GROUP_CONCAT(CONCAT_WS('|', HEX(avatar), LPAD(BIN(flags), 5, '0'),"
            + " HEX(ST_AsBinary(loc))) ORDER BY id SEPARATOR ';')",
        "string_agg(concat_ws('|', upper(encode(avatar, 'hex')), flags::text,"
            + " upper(encode(loc, 'hex'))), ';' ORDER BY id)", "customers");
    assertEquals(293L, dst.scalar("SELECT count(*) FROM customers"
        + " WHERE (prefs ->> 'n')::int = id AND prefs -> 'tags' = jsonb_build_array('x', id)"));
    assertEquals(List.of(List.of("{a,\"c d\"}"), List.of("{b,\"say \\\"hi\\\"\"}"),
        List.of("{}")), dst.query("SELECT tags::text FROM customers WHERE id IN (10, 11, 12)"
            + " ORDER BY id"));
    same(src, dst, "employees", "GROUP_CONCAT(CONCAT_WS('|', id, name, manager_id) ORDER BY id)",
        "string_agg(concat_ws('|', id, name, manager_id), ',' ORDER BY id)", "employees");
    same(src, dst, "cycle", "GROUP_CONCAT(CONCAT_WS('|', id, b_id) ORDER BY id)",
        "string_agg(concat_ws('|', id, b_id), ',' ORDER BY id)", "a_cycle");
    same(src, dst, "order lines",
        "GROUP_CONCAT(CONCAT_WS('|', id, customer_id, `Select`, qty, duration) ORDER BY id)",
        "string_agg(concat_ws('|', id, customer_id, \"select\", qty, duration), ',' ORDER BY id)",
        "order lines");
    assertEquals(List.of(List.of("Köln"), List.of("Straße"), List.of("Zürich")),
        dst.query("SELECT city FROM legacy_latin1 WHERE city IS NOT NULL ORDER BY id"));
  }

  private static void same(TestDatabase src, TestDatabase dst, String what, String mysql,
      String postgres, String table) {
    Object source = src.scalar("SELECT " + mysql + " FROM `" + table + "`");
    Object target = dst.scalar("SELECT " + postgres + " FROM \"" + table + "\"");
    assertEquals(source == null ? null : source.toString(), target, what);
  }

  /** Each sequence continues after the loaded ids, or after MySQL's next id when that is higher. */
  private static void checkSequences(TestDatabase src, TestDatabase dst) {
    assertEquals(41, dst.scalar("INSERT INTO employees (name) VALUES ('new') RETURNING id"),
        "max(id) + 1");
    assertEquals(301L, dst.scalar("INSERT INTO customers (email) VALUES ('new@example.com')"
        + " RETURNING id"), "the deleted tail 298..300 is not handed out again");
    // InnoDB reserved ids in blocks for INSERT ... SELECT; MySQL's next id is the one it hands out.
    long next = ((Number) src.scalar("SELECT AUTO_INCREMENT FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'order lines'")).longValue();
    assertTrue(next >= 294, "next id " + next);
    assertEquals(next, dst.scalar("INSERT INTO \"order lines\" (customer_id) VALUES (1)"
        + " RETURNING id"));
  }

  private static void checkConstraints(TestDatabase dst) {
    rejected(dst, "23503", "INSERT INTO \"order lines\" (customer_id) VALUES (999999)");
    rejected(dst, "23503", "UPDATE employees SET manager_id = 999 WHERE id = 2");
    rejected(dst, "23503", "UPDATE a_cycle SET b_id = 999 WHERE id = 1");
    rejected(dst, "23503", "UPDATE b_cycle SET a_id = 999 WHERE id = 1");
    rejected(dst, "23505", "INSERT INTO customers (email) VALUES ('c10@example.com')");
    rejected(dst, "23514", "INSERT INTO customers (email, tier) VALUES ('x@y', 'gold')");
    rejected(dst, "23514", "INSERT INTO customers (email, tags) VALUES ('x@y', '{z}')");
    dst.execute("DELETE FROM customers WHERE id = 2");
    assertEquals(0L, dst.scalar("SELECT count(*) FROM \"order lines\" WHERE customer_id = 2"),
        "ON DELETE CASCADE kept");
  }

  private static void rejected(TestDatabase dst, String sqlState, String sql) {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> dst.execute(sql));
    assertEquals(sqlState, ((SQLException) e.getCause()).getSQLState(), e.getMessage());
  }

  private static void checkMappingFiles(Path mappings) throws Exception {
    String customers = Files.readString(mappings.resolve("customers.yaml"),
        StandardCharsets.UTF_8);
    assertTrue(customers.contains("- {name: \"created\", fromZone: \"Europe/Berlin\"}"),
        customers);
    assertTrue(customers.contains("ST_AsBinary(`loc`)"), customers);
    try (var files = Files.list(mappings)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().matches(
          "order_lines-[0-9a-f]{8}\\.yaml")));
    }
  }
}
