package dev.ferry.pipelines.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrate as a user runs it, without test-sized flags: tables of several key ranges (one per
 * 20,000 rows) and 10,000-row load chunks, two large tables and two small ones copied by one
 * pipeline, then each checked; every value arrives.
 */
class MigrateLargeTablesMariaDbTest {
  @TempDir Path tmp;

  @Test
  void largeAndSmallTablesLoadTogetherAtTheDefaultsAndVerify() throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute(
        "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)",
        "INSERT INTO customers SELECT seq, CONCAT('customer ', seq) FROM seq_1_to_97",
        "CREATE TABLE orders (id INT PRIMARY KEY, customer INT NOT NULL, placed DATE,"
            + " note VARCHAR(40), FOREIGN KEY (customer) REFERENCES customers (id))",
        "INSERT INTO orders SELECT seq, 1 + seq % 97, DATE '2020-01-01' + INTERVAL (seq % 1500)"
            + " DAY, IF(seq % 7 = 0, NULL, CONCAT('n', seq)) FROM seq_1_to_45000",
        "CREATE TABLE order_lines (order_id INT, line INT, qty INT NOT NULL, price DECIMAL(9,2),"
            + " PRIMARY KEY (order_id, line),"
            + " FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE)",
        "INSERT INTO order_lines SELECT 1 + seq DIV 2, seq % 2, seq % 13, (seq % 1000) / 4"
            + " FROM seq_0_to_61999",
        "CREATE TABLE settings (k CHAR(8) PRIMARY KEY, v VARCHAR(20))",
        "INSERT INTO settings VALUES ('mode', 'fast'), ('zone', NULL)");
    TestDatabase dst = EmbeddedDatabases.newPostgres();

    MigrationSummary migrated = MigrateCommand.run(Migrations.optionsAtDefaults(src, dst,
        tmp.resolve("mappings")), new Secrets(Map.of()));

    assertEquals(ExitCodes.OK, migrated.exitCode, migrated.toConsole());
    assertEquals(Map.of("customers", "VERIFIED", "order_lines", "VERIFIED", "orders",
        "VERIFIED", "settings", "VERIFIED"), Migrations.phases(dst));
    // About one key range per 20,000 rows (by the server's row estimate), each loaded in chunks
    // of up to 10,000 rows.
    assertEquals(List.of(List.of("order_lines"), List.of("orders")), dst.query("SELECT"
        + " substring(job from '[a-z_]+$') FROM ferry.ferry_progress GROUP BY job"
        + " HAVING count(*) >= 3 ORDER BY 1"));
    same(src, dst, "SELECT count(*), sum(id), sum(customer), sum(length(note)),"
        + " count(note), sum(to_days(placed)) FROM orders",
        "SELECT count(*), sum(id), sum(customer), sum(length(note)), count(note),"
            + " sum(placed - date '0001-01-01' + 366) FROM orders");
    String lines = "SELECT count(*), sum(order_id), sum(line), sum(qty), sum(price)"
        + " FROM order_lines";
    same(src, dst, lines, lines);
    assertEquals(97L, dst.count("customers"));
    assertEquals(2L, dst.count("settings"));
  }

  private static void same(TestDatabase src, TestDatabase dst, String mysql, String postgres) {
    assertEquals(String.valueOf(src.query(mysql)), String.valueOf(dst.query(postgres)), mysql);
  }
}
