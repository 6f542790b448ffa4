package dev.ferry.pipelines.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.migrate.MigrateCommand;
import dev.ferry.pipelines.migrate.MigrateOptions;
import dev.ferry.pipelines.migrate.MigrationSummary;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole MariaDB database (binary log in row format) into PostgreSQL without downtime: {@code
 * ferry migrate --sync} while a live workload writes to three tables (customers; orders with a
 * foreign key to them; order tags with a composite key and a foreign key to the orders), a
 * SIGKILL of the streaming migrate and a restart, more writes, then {@code ferry migrate
 * --cutover}: every table must equal the source. The foreign keys hold in the target while the
 * stream applies: parents must be upserted first and children deleted first.
 */
class WholeDatabaseSyncTest {
  private static final int CUSTOMERS = 300;
  private static final int ORDERS = 2000;
  /** MariaDB's ER_LOCK_DEADLOCK. */
  private static final int DEADLOCK = 1213;
  private static final String[] SCHEMA = {
      "CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL)",
      "CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL,"
          + " qty INT, CONSTRAINT fk_customer FOREIGN KEY (customer_id)"
          + " REFERENCES customers (id))",
      "CREATE TABLE order_tags (order_id INT NOT NULL, tag VARCHAR(20) NOT NULL,"
          + " note VARCHAR(50), PRIMARY KEY (order_id, tag), CONSTRAINT fk_order"
          + " FOREIGN KEY (order_id) REFERENCES orders (id))"};
  private static final Map<String, String> TABLES = Map.of(
      "customers", "SELECT id, name FROM customers ORDER BY id",
      "orders", "SELECT id, customer_id, qty FROM orders ORDER BY id",
      "order_tags", "SELECT order_id, tag, note FROM order_tags ORDER BY order_id, tag");

  @Test
  void liveWorkloadThroughMigrateSyncKillRestartAndCutoverEndsEqual(@TempDir Path mappings)
      throws Exception {
    String source = BinlogMariaDb.newDatabase();
    BinlogMariaDb.execute(source, SCHEMA);
    seed(source);
    TestDatabase target = EmbeddedDatabases.newPostgres();
    List<String> flags = List.of("--sourceUrl=" + source, "--sourceUser=root",
        "--targetUrl=" + target.jdbcUrl(), "--targetUser=postgres",
        "--mappingsDir=" + mappings, "--partitions=2", "--batchSize=200",
        "--parallelTables=2", "--statusIntervalSeconds=1");
    String job = "migrate-" + source.substring(source.lastIndexOf('/') + 1);

    // Writes during the whole migration (until migrate returns): the
    // position is taken before any table is read, the stream carries what the copy missed.
    AtomicBoolean migrating = new AtomicBoolean(true);
    CompletableFuture<Void> during =
        SyncHarness.inBackground(() -> workload(source, 1, 300, migrating::get));
    MigrationSummary migrated = migrate(flags, "--sync=true", "--untilCaughtUp=true");
    migrating.set(false);
    during.get(180, TimeUnit.SECONDS);
    assertEquals(ExitCodes.OK, migrated.exitCode, migrated.toConsole());
    assertTrue(SyncHarness.awaitApplied(target.jdbcUrl(), "ferry.ferry_sync", job, 0) > 0,
        "the stream must have applied changes made during the migration");
    // Rows the copy has certainly read: changed and deleted now.
    BinlogMariaDb.execute(source, "DELETE FROM order_tags WHERE order_id IN (1, 2)",
        "DELETE FROM orders WHERE id IN (1, 2)",
        "UPDATE customers SET name = 'after the copy' WHERE id BETWEEN 10 AND 20");

    List<String> streaming = new ArrayList<>(flags);
    streaming.add("--sync=true");
    Process child = SyncHarness.child(MigrateCommand.class, streaming);
    workload(source, 2, 300);
    SyncHarness.awaitApplied(target.jdbcUrl(), "ferry.ferry_sync", job,
        50 + new Random(7).nextInt(200));
    SyncHarness.kill(child);
    workload(source, 3, 200);
    MigrationSummary restarted = migrate(flags, "--sync=true", "--untilCaughtUp=true");
    assertEquals(ExitCodes.OK, restarted.exitCode, restarted.toConsole());
    workload(source, 4, 200);

    MigrationSummary cutover = migrate(flags, "--cutover=true");
    assertEquals(ExitCodes.OK, cutover.exitCode, cutover.toConsole());
    assertEquals("ready to switch", cutover.status);
    for (Map.Entry<String, String> table : TABLES.entrySet()) {
      assertEquals(SyncHarness.rows(source, "root", table.getValue()),
          SyncHarness.rows(target.jdbcUrl(), "postgres", table.getValue()), table.getKey());
    }
    assertTrue(phases(target).stream().allMatch(p -> p.equals("VERIFIED")),
        phases(target).toString());
    target.execute("INSERT INTO customers (name) VALUES ('first after the switch')");
    assertTrue(max(target.jdbcUrl(), "postgres") > max(source, "root"),
        "the target's identity must restart past the source's ids");
  }

  @Test
  void cutoverOfAMigrationWithoutSyncIsRefused(@TempDir Path mappings) throws Exception {
    String source = BinlogMariaDb.newDatabase();
    BinlogMariaDb.execute(source, SCHEMA[0], "INSERT INTO customers (name) VALUES ('a')");
    TestDatabase target = EmbeddedDatabases.newPostgres();
    List<String> flags = List.of("--sourceUrl=" + source, "--sourceUser=root",
        "--targetUrl=" + target.jdbcUrl(), "--targetUser=postgres",
        "--mappingsDir=" + mappings);
    assertEquals(ExitCodes.OK, migrate(flags).exitCode);
    MigrationSummary cutover = migrate(flags, "--cutover=true");
    assertEquals(ExitCodes.INVALID, cutover.exitCode, cutover.toConsole());
    assertTrue(cutover.error.contains("without --sync"), cutover.error);
    MigrationSummary sync = migrate(flags, "--sync=true", "--untilCaughtUp=true");
    assertEquals(ExitCodes.INVALID, sync.exitCode, sync.toConsole());
    assertTrue(sync.error.contains("--reload=customers"), sync.error);
  }

  /**
   * Random writes as an application makes them, one transaction each: new customers, orders and
   * tags; changed names, quantities and notes; deleted tags, orders (their tags first) and
   * customers without orders, among them rows copied long ago and rows never copied.
   */
  private static void workload(String url, long seed, int operations) {
    workload(url, seed, operations, () -> false);
  }

  /** At least {@code operations} writes, and more while {@code more} says so. */
  private static void workload(String url, long seed, int operations, BooleanSupplier more) {
    Random random = new Random(seed);
    try (Connection c = DriverManager.getConnection(url, "root", "");
        Statement s = c.createStatement()) {
      for (int i = 0; i < operations || more.getAsBoolean(); i++) {
        int customer = 1 + random.nextInt(CUSTOMERS + 50);
        int order = 1 + random.nextInt(ORDERS + 300);
        String tag = "t" + random.nextInt(4);
        try {
          write(c, s, random.nextInt(8), seed, i, customer, order, tag);
        } catch (SQLException e) {
          // A deadlock with sync's locking re-reads: the application's transaction rolls back.
          if (e.getErrorCode() != DEADLOCK) {
            throw e;
          }
          if (!c.getAutoCommit()) {
            c.rollback();
          }
        } finally {
          c.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(Connection c, Statement s, int kind, long seed, int i, int customer,
      int order, String tag) throws SQLException {
    switch (kind) {
      case 0 -> s.execute("INSERT INTO customers (name) VALUES ('new " + seed + "-" + i
          + "')");
      case 1 -> s.execute("INSERT INTO orders (customer_id, qty) SELECT id, " + i
          + " FROM customers WHERE id = " + customer);
      case 2 -> s.execute("INSERT IGNORE INTO order_tags SELECT id, '" + tag + "', 'new "
          + i + "' FROM orders WHERE id = " + order);
      case 3 -> s.execute("UPDATE customers SET name = 'upd " + seed + "-" + i
          + "' WHERE id = " + customer);
      case 4 -> s.execute("UPDATE orders SET qty = qty + 1 WHERE id = " + order);
      case 5 -> s.execute("UPDATE order_tags SET note = 'upd " + i + "' WHERE order_id = "
          + order);
      case 6 -> {
        c.setAutoCommit(false);
        s.execute("DELETE FROM order_tags WHERE order_id = " + order);
        s.execute("DELETE FROM orders WHERE id = " + order);
        c.commit();
      }
      default -> s.execute("DELETE FROM customers WHERE id = " + customer
          + " AND NOT EXISTS (SELECT 1 FROM orders WHERE customer_id = " + customer + ")");
    }
  }

  private static void seed(String url) throws SQLException {
    List<String> sql = new ArrayList<>();
    StringBuilder customers = new StringBuilder("INSERT INTO customers (name) VALUES ");
    for (int i = 1; i <= CUSTOMERS; i++) {
      customers.append(i > 1 ? ", " : "").append("('customer ").append(i).append("')");
    }
    sql.add(customers.toString());
    StringBuilder orders = new StringBuilder("INSERT INTO orders (customer_id, qty) VALUES ");
    for (int i = 1; i <= ORDERS; i++) {
      orders.append(i > 1 ? ", " : "").append('(').append(1 + i % CUSTOMERS).append(", ")
          .append(i).append(')');
    }
    sql.add(orders.toString());
    sql.add("INSERT INTO order_tags SELECT id, 't0', CONCAT('note ', id) FROM orders");
    sql.add("INSERT INTO order_tags SELECT id, 't1', NULL FROM orders WHERE id % 2 = 0");
    BinlogMariaDb.execute(url, sql.toArray(new String[0]));
  }

  private static MigrationSummary migrate(List<String> flags, String... more) {
    List<String> all = new ArrayList<>(flags);
    all.addAll(List.of(more));
    PipelineOptionsFactory.register(MigrateOptions.class);
    PipelineOptionsFactory.register(BackfillOptions.class);
    return MigrateCommand.run(PipelineOptionsFactory.fromArgs(all.toArray(new String[0]))
        .withValidation().as(MigrateOptions.class), new Secrets(Map.of()));
  }

  private static List<String> phases(TestDatabase target) throws SQLException {
    return SyncHarness.rows(target.jdbcUrl(), "postgres",
        "SELECT phase FROM ferry.ferry_migration");
  }

  private static long max(String url, String user) throws SQLException {
    return Long.parseLong(SyncHarness.rows(url, user, "SELECT max(id) FROM customers").get(0));
  }
}
