package dev.ferry.pipelines.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A transaction on a second connection is open while the backfill takes its watermark and reads:
 * it updates a row, stamping it with its own start, and commits only after the backfill ended.
 * Rows committed meanwhile by others are stamped later, so the source's maximum, which a plain
 * watermark would be, is later than the row's stamp.
 *
 * <p>Proven: the next catch-up ({@code --since=last}) copies the row, on PostgreSQL and on
 * MariaDB, because the watermark is held back to the oldest open transaction's start; and on
 * PostgreSQL also when ferry's user cannot see other users' sessions, because the watermark is
 * then set back from the present by the margin.
 */
class LongTransactionCatchUpTest {
  private static final int ROWS = 2_000;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql", "postgresql, unprivileged user", "mariadb"})
  void rowCommittedLateByATransactionOpenAcrossTheWatermarkIsCaughtUp(String setup)
      throws Exception {
    boolean maria = setup.equals("mariadb");
    TestDatabase src = maria ? EmbeddedDatabases.newMariaDb() : EmbeddedDatabases.newPostgres();
    String stamp = maria ? "DATETIME(6)" : "timestamptz";
    String now = maria ? "NOW(6)" : "now()";
    src.execute("CREATE TABLE orders (id bigint PRIMARY KEY, v varchar(20) NOT NULL,"
        + " updated_at " + stamp + " NOT NULL)");
    for (int i = 1; i <= ROWS; i += 500) {
      StringBuilder insert = new StringBuilder("INSERT INTO orders VALUES ");
      for (int id = i; id < i + 500; id++) {
        insert.append(id == i ? "" : ", ").append("(").append(id).append(", 'old', '2024-01-01')");
      }
      src.execute(insert.toString());
    }
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE orders (id bigint PRIMARY KEY, v varchar(20) NOT NULL,"
        + " updated_at " + (maria ? "timestamp" : "timestamptz") + " NOT NULL)");
    List<String> flags = Runs.with(Runs.flags("long-tx", src, dst, "orders"),
        "--sinceColumn=updated_at");
    if (setup.contains("unprivileged")) {
      src.execute("CREATE ROLE ferry_reader LOGIN", "GRANT SELECT ON orders TO ferry_reader");
      flags = Runs.with(flags, "--sourceUser=ferry_reader");
    }

    try (Connection writer = src.connect(); Statement w = writer.createStatement()) {
      if (maria) {
        w.execute("SET time_zone = '+00:00'");
      }
      writer.setAutoCommit(false);
      w.executeUpdate("UPDATE orders SET v = 'late', updated_at = " + now + " WHERE id = 5");
      // Committed by others after the transaction began: later stamps, the source's maximum.
      src.execute(maria ? "SET time_zone = '+00:00'" : "SELECT 1",
          "UPDATE orders SET v = 'other', updated_at = " + now + (maria
              ? " + INTERVAL 1 SECOND" : " + interval '1 second'") + " WHERE id = 7");

      RunSummary backfill = Runs.run(flags);
      assertEquals(0, backfill.exitCode, backfill.error);
      assertEquals("old", dst.scalar("SELECT v FROM orders WHERE id = 5"));
      writer.commit();
    }

    RunSummary catchUp = Runs.run(flags, "--since=last");
    assertEquals(0, catchUp.exitCode, catchUp.error);
    assertEquals("late", dst.scalar("SELECT v FROM orders WHERE id = 5"),
        "the row the open transaction committed after the backfill is caught up");
    assertEquals("other", dst.scalar("SELECT v FROM orders WHERE id = 7"));
  }
}
