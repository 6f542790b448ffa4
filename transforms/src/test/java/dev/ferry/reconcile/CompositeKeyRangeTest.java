package dev.ferry.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.Dialect;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.RangeSql;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key ranges of a composite key on MariaDB, as the backfill's reader ({@link RangeSql}) and the
 * reconcile's checksums ({@link KeyPredicates}) select them: the same rows as a row-value
 * comparison, and read through the primary key's index, not by scanning the table (a row-value
 * comparison made every range of a 2.8M-row table read all 2.8M rows).
 */
class CompositeKeyRangeTest {
  private static final int ROWS = 20_000;
  private static TestDatabase db;
  private static List<Column> keyColumns;
  private static Connection connection;

  @BeforeAll
  static void seed() throws Exception {
    db = EmbeddedDatabases.newMariaDb();
    db.execute("CREATE TABLE s (emp_no INT NOT NULL, dept CHAR(4) NOT NULL, from_date DATE NOT"
            + " NULL, salary INT, PRIMARY KEY (emp_no, dept, from_date))",
        "INSERT INTO s SELECT seq DIV 4, CONCAT('d', seq % 2), DATE '2000-01-01' + INTERVAL seq"
            + " % 7 DAY, seq FROM seq_0_to_" + (ROWS - 1),
        "ANALYZE TABLE s");
    connection = db.connect();
    Layout layout = Describe.relation(connection, "s");
    keyColumns = List.of(layout.column(0), layout.column(1), layout.column(2));
  }

  @AfterAll
  static void close() throws Exception {
    connection.close();
  }

  private static final Object[] LOWER = {1000L, "d1", LocalDate.parse("2000-01-04")};
  private static final Object[] UPPER = {1500L, "d0", LocalDate.parse("2000-01-03")};
  private static final Object[] AFTER = {1200L, "d0", LocalDate.parse("2000-01-06")};

  /** The rows a row-value comparison selects, counted in Java: the reference. */
  private static long expected(Object[] after) throws Exception {
    String where = "(emp_no, dept, from_date) >= (1000, 'd1', '2000-01-04') AND (emp_no, dept,"
        + " from_date) < (1500, 'd0', '2000-01-03')" + (after == null ? ""
            : " AND (emp_no, dept, from_date) > (1200, 'd0', '2000-01-06')");
    return ((Number) db.scalar("SELECT count(*) FROM s WHERE " + where)).longValue();
  }

  @Test
  void theReadersRangeSelectsTheSameRowsThroughTheIndex() throws Exception {
    RangeSql sql = new RangeSql(Dialect.MYSQL, List.of("emp_no", "dept", "from_date"));
    KeyRange range = KeyRange.between(0, LOWER, UPPER, 0);
    for (Object[] after : new Object[][] {null, AFTER}) {
      List<Object> params = new ArrayList<>();
      String where = sql.where(range, after, params);
      assertEquals(expected(after), count(where, params));
      assertEquals("range", accessType(where, params), where);
    }
  }

  @Test
  void theChecksumsRangeSelectsTheSameRowsThroughTheIndex() throws Exception {
    KeyPredicates keys = new KeyPredicates(Dialect.MYSQL, keyColumns);
    List<Object> params = new ArrayList<>();
    String where = keys.range(KeyRange.between(0, LOWER, UPPER, 0), params);
    assertEquals(expected(null), count(where, params));
    assertEquals("range", accessType(where, params), where);
  }

  private static long count(String where, List<Object> params) throws Exception {
    try (ResultSet rs = query("SELECT count(*) FROM s WHERE " + where, params)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** EXPLAIN's access type of the table: {@code range} through an index, {@code ALL} a scan. */
  private static String accessType(String where, List<Object> params) throws Exception {
    try (ResultSet rs = query("EXPLAIN SELECT salary FROM s WHERE " + where, params)) {
      rs.next();
      return rs.getString("type");
    }
  }

  private static ResultSet query(String sql, List<Object> params) throws Exception {
    PreparedStatement ps = connection.prepareStatement(sql);
    for (int i = 0; i < params.size(); i++) {
      ps.setObject(i + 1, params.get(i));
    }
    ps.closeOnCompletion();
    return ps.executeQuery();
  }
}
