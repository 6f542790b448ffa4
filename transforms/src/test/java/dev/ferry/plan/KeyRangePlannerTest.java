package dev.ferry.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.jdbc.Dialect;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Planned ranges must cover every row exactly once and stay balanced on skewed keys. */
class KeyRangePlannerTest {

  @Test
  void skewedIntegerKeysAreCoveredOnceAndBalanced() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    // 50,000 dense ids, then 5,000 spread up to ten billion: equal-width buckets fail here.
    db.execute("CREATE TABLE t (id bigint PRIMARY KEY)",
        "INSERT INTO t SELECT g FROM generate_series(1, 50000) g",
        "INSERT INTO t SELECT 50000 + g::bigint * 2000000 FROM generate_series(1, 5000) g");
    List<KeyRange> ranges = plan(db, Dialect.POSTGRESQL, "t", List.of("id"), 10);
    assertCoversEachRowOnce(db, Dialect.POSTGRESQL, "t", List.of("id"), ranges, 55000);
    long largest = maxRows(db, Dialect.POSTGRESQL, "t", List.of("id"), ranges);
    assertTrue(largest <= 2.5 * 55000 / 10, "largest range holds " + largest + " rows");
    assertNull(ranges.get(0).lower(), "first range is open below");
    assertNull(ranges.get(ranges.size() - 1).upper(), "last range is open above");
  }

  @Test
  void skewedKeysOnMariaDb() throws Exception {
    TestDatabase db = EmbeddedDatabases.newMariaDb();
    db.execute("CREATE TABLE t (id bigint PRIMARY KEY)",
        "INSERT INTO t SELECT seq FROM seq_1_to_30000",
        "INSERT INTO t SELECT 30000 + seq * 1000000 FROM seq_1_to_3000");
    List<KeyRange> ranges = plan(db, Dialect.MYSQL, "t", List.of("id"), 6);
    assertCoversEachRowOnce(db, Dialect.MYSQL, "t", List.of("id"), ranges, 33000);
    assertTrue(maxRows(db, Dialect.MYSQL, "t", List.of("id"), ranges) <= 2.5 * 33000 / 6);
  }

  @Test
  void stringUuidAndCompositeKeys() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE s (code text PRIMARY KEY)",
        "INSERT INTO s SELECT md5(g::text) FROM generate_series(1, 5000) g",
        "CREATE TABLE u (id uuid PRIMARY KEY)",
        "INSERT INTO u SELECT md5(g::text)::uuid FROM generate_series(1, 5000) g",
        "CREATE TABLE c (tenant text, seq int, PRIMARY KEY (tenant, seq))",
        "INSERT INTO c SELECT 't' || (g % 7), g FROM generate_series(1, 5000) g");
    assertCoversEachRowOnce(db, Dialect.POSTGRESQL, "s", List.of("code"),
        plan(db, Dialect.POSTGRESQL, "s", List.of("code"), 8), 5000);
    assertCoversEachRowOnce(db, Dialect.POSTGRESQL, "u", List.of("id"),
        plan(db, Dialect.POSTGRESQL, "u", List.of("id"), 8), 5000);
    List<KeyRange> composite = plan(db, Dialect.POSTGRESQL, "c", List.of("tenant", "seq"), 8);
    assertEquals(8, composite.size());
    assertCoversEachRowOnce(db, Dialect.POSTGRESQL, "c", List.of("tenant", "seq"), composite,
        5000);
  }

  /**
   * A composite key led by an integer (the HR schema's salaries: emp_no, from_date) is split on
   * that integer, each boundary a whole key; the ranges still cover every row once, balanced.
   */
  @Test
  void compositeKeyLedByAnIntegerOnMariaDb() throws Exception {
    TestDatabase db = EmbeddedDatabases.newMariaDb();
    db.execute("CREATE TABLE salaries (emp_no INT NOT NULL, from_date DATE NOT NULL,"
            + " salary INT, PRIMARY KEY (emp_no, from_date))",
        "INSERT INTO salaries SELECT 10000 + e.seq, DATE '1990-01-01' + INTERVAL y.seq YEAR,"
            + " e.seq FROM seq_1_to_2000 e JOIN seq_0_to_9 y",
        // One leading value with many rows: its range is heavy but still covered once.
        "INSERT INTO salaries SELECT 50000, DATE '1900-01-01' + INTERVAL seq DAY, 0"
            + " FROM seq_1_to_3000");
    List<String> key = List.of("emp_no", "from_date");
    List<KeyRange> ranges = plan(db, Dialect.MYSQL, "salaries", key, 8);
    assertTrue(ranges.size() >= 4, ranges.toString());
    assertEquals(2, ranges.get(1).lower().length, "boundaries are whole keys");
    assertCoversEachRowOnce(db, Dialect.MYSQL, "salaries", key, ranges, 23000);
    long largestBelowTheHeavyKey = maxRows(db, Dialect.MYSQL, "salaries", key,
        ranges.subList(0, ranges.size() - 1));
    assertTrue(largestBelowTheHeavyKey <= 2.5 * 20000 / 8, "largest: " + largestBelowTheHeavyKey);
  }

  @Test
  void compositeKeyLedByAnIntegerOnPostgres() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE titles (emp_no int, title text, PRIMARY KEY (emp_no, title))",
        "INSERT INTO titles SELECT g / 3, 't' || (g % 3) FROM generate_series(3, 6002) g");
    List<String> key = List.of("emp_no", "title");
    List<KeyRange> ranges = plan(db, Dialect.POSTGRESQL, "titles", key, 6);
    assertTrue(ranges.size() >= 4, ranges.toString());
    assertCoversEachRowOnce(db, Dialect.POSTGRESQL, "titles", key, ranges, 6000);
  }

  @Test
  void timestampKeysAndNullKeysGetTheirOwnRange() throws Exception {
    TestDatabase db = EmbeddedDatabases.newMariaDb();
    db.execute("CREATE TABLE e (at DATETIME(3) NULL, v int)",
        "INSERT INTO e SELECT TIMESTAMP('2024-01-01') + INTERVAL seq SECOND, seq"
            + " FROM seq_1_to_4000",
        "INSERT INTO e VALUES (NULL, -1), (NULL, -2)");
    List<KeyRange> ranges = plan(db, Dialect.MYSQL, "e", List.of("at"), 4);
    KeyRange nulls = ranges.get(ranges.size() - 1);
    assertTrue(nulls.nullKeys());
    assertEquals(2, nulls.estimatedRows());
    assertCoversEachRowOnce(db, Dialect.MYSQL, "e", List.of("at"), ranges, 4002);
  }

  @Test
  void emptyTableIsOneOpenRange() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE t (id int PRIMARY KEY)");
    List<KeyRange> ranges = plan(db, Dialect.POSTGRESQL, "t", List.of("id"), 4);
    assertEquals(1, ranges.size());
    assertNull(ranges.get(0).lower());
    assertNull(ranges.get(0).upper());
  }

  private static List<KeyRange> plan(TestDatabase db, Dialect d, String table, List<String> key,
      int partitions) throws Exception {
    try (Connection c = db.connect()) {
      return new KeyRangePlanner(d, SourceRelation.table(List.of(table), key), partitions).plan(c);
    }
  }

  /** Sums per-range counts and checks every row's key falls in exactly one range. */
  private static void assertCoversEachRowOnce(TestDatabase db, Dialect d, String table,
      List<String> key, List<KeyRange> ranges, long expectedRows) throws Exception {
    assertEquals(expectedRows, db.count(table));
    long total = 0;
    for (long n : counts(db, d, table, key, ranges)) {
      total += n;
    }
    assertEquals(expectedRows, total, "rows counted over all ranges");
  }

  private static long maxRows(TestDatabase db, Dialect d, String table, List<String> key,
      List<KeyRange> ranges) throws Exception {
    return counts(db, d, table, key, ranges).stream().mapToLong(Long::longValue).max().orElse(0);
  }

  private static List<Long> counts(TestDatabase db, Dialect d, String table, List<String> key,
      List<KeyRange> ranges) throws Exception {
    RangeSql sql = new RangeSql(d, key);
    List<Long> counts = new ArrayList<>();
    try (Connection c = db.connect()) {
      for (KeyRange r : ranges) {
        List<Object> params = new ArrayList<>();
        String where = sql.where(r, null, params);
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT count(*) FROM " + d.quote(table) + " WHERE " + where)) {
          for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            counts.add(rs.getLong(1));
          }
        }
      }
    }
    return counts;
  }
}
