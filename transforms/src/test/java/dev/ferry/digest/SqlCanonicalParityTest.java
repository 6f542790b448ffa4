package dev.ferry.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.ColumnReader;
import dev.ferry.record.Layout;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The SQL form of the canonical encoding computes, inside each engine, exactly the text the
 * pipeline computes from the same values read over JDBC; otherwise a pushed-down checksum would
 * disagree with the row-level comparison.
 */
class SqlCanonicalParityTest {
  private static final String PG_TYPES = "id int8 primary key, i int4, n numeric(10,2),"
      + " b bool, t text, v varchar(20), c char(4), bin bytea, d date, tm time(6),"
      + " ts timestamp(6), tz timestamptz(6)";
  private static final String[] PG_ROWS = {
      "1, 7, 2.50, true, 'ab', 'c', 'x', '\\x00ff'::bytea, '2024-02-29', '12:34:56.789',"
          + " '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.5+02'",
      "2, null, null, null, null, null, null, null, null, null, null, null",
      "3, -1, 0.00, false, '', 'NULL', 'é  ', ''::bytea, '1999-12-31', '00:00:00',"
          + " '1970-01-01 00:00:00', '2030-06-30 23:59:59.999999+00'",
      "4, 0, -12.30, true, 'line\nbreak ''q'' 😀', 'trail  ', 'abcd', '\\x41'::bytea,"
          + " '0001-01-01', '23:59:59.999999', '2024-03-31 02:30:00', '2024-10-27 01:30:00+00'"};

  private static List<String[]> sqlAndJava(TestDatabase db, Dialect dialect, String table,
      RowCanonicalizer canon, Layout side) throws Exception {
    String rowSql = canon.sqlRow(dialect, side.columns(), Dialect.POSTGRESQL,
        canon.layout().columns()).sql();
    List<String[]> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      if (dialect == Dialect.MYSQL) {
        s.execute("SET time_zone = '+00:00'");
      }
      try (ResultSet rs = s.executeQuery("SELECT " + dialect.columnList(side.names()) + ", "
          + rowSql + " FROM " + table + " ORDER BY id")) {
        while (rs.next()) {
          Object[] row = new Object[side.size()];
          for (int i = 0; i < row.length; i++) {
            row[i] = ColumnReader.forColumn(side.column(i).jdbcType(), side.column(i).typeName(),
                dialect).read(rs, i + 1);
          }
          out.add(new String[] {rs.getString(side.size() + 1), canon.canonicalRow(row)});
        }
      }
    }
    return out;
  }

  private static Layout layout(TestDatabase db, String table) throws Exception {
    try (Connection c = db.connect()) {
      return Describe.relation(c, table);
    }
  }

  @Test
  void postgresComputesThePipelinesText() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("create table t(" + PG_TYPES + ")");
    for (String row : PG_ROWS) {
      pg.execute("insert into t values (" + row + ")");
    }
    Layout layout = layout(pg, "t");
    for (CanonicalRules rules : List.of(CanonicalRules.exact(),
        CanonicalRules.exact().withTimestampPrecision(3).withCharPaddingTrimmed(true),
        CanonicalRules.exact().withTimestampPrecision(0).withSourceZone("Europe/Berlin"))) {
      RowCanonicalizer canon = RowCanonicalizer.of(layout, Dialect.POSTGRESQL, List.of("id"),
          rules, Set.of());
      List<String[]> rows = sqlAndJava(pg, Dialect.POSTGRESQL, "t", canon, layout);
      assertEquals(PG_ROWS.length, rows.size());
      for (String[] r : rows) {
        assertEquals(r[1], r[0], "rules " + rules);
      }
    }
  }

  @Test
  void mariaDbComputesThePostgresTargetsText() throws Exception {
    TestDatabase maria = EmbeddedDatabases.newMariaDb();
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    maria.execute("create table t(id bigint primary key, i int, n decimal(10,2), b tinyint(1),"
        + " t text, v varchar(20), c char(4), bin varbinary(10), d date, tm time(6),"
        + " ts datetime(6), tz datetime(6))");
    pg.execute("create table t(" + PG_TYPES + ")");
    String[] mariaRows = {
        "1, 7, 2.50, 1, 'ab', 'c', 'x', x'00ff', '2024-02-29', '12:34:56.789',"
            + " '2024-01-02 03:04:05.123456', '2024-01-02 01:04:05.5'",
        "2, null, null, null, null, null, null, null, null, null, null, null",
        "3, -1, 0.00, 0, '', 'NULL', 'é', x'', '1999-12-31', '00:00:00',"
            + " '1970-01-01 00:00:00', '2030-06-30 23:59:59.999999'",
        "4, 0, -12.30, 1, 'line\\nbreak ''q'' 😀', 'trail  ', 'abcd', x'41', '0001-01-01',"
            + " '23:59:59.999999', '2024-03-31 02:30:00', '2024-10-27 01:30:00'"};
    for (int i = 0; i < mariaRows.length; i++) {
      maria.execute("insert into t values (" + mariaRows[i] + ")");
      pg.execute("insert into t values (" + PG_ROWS[i] + ")");
    }
    Layout target = layout(pg, "t");
    Layout source = layout(maria, "t");
    CanonicalRules rules = CanonicalRules.exact().withCharPaddingTrimmed(true);
    RowCanonicalizer canon = RowCanonicalizer.of(target, Dialect.POSTGRESQL, List.of("id"),
        rules, Set.of("c"));
    List<String[]> fromMaria = sqlAndJava(maria, Dialect.MYSQL, "t", canon, source);
    List<String[]> fromPg = sqlAndJava(pg, Dialect.POSTGRESQL, "t", canon, target);
    for (int i = 0; i < mariaRows.length; i++) {
      assertEquals(fromMaria.get(i)[1], fromMaria.get(i)[0], "MariaDB SQL vs pipeline");
      assertEquals(fromPg.get(i)[0], fromMaria.get(i)[0], "MariaDB vs PostgreSQL, row " + i);
    }
    RowCanonicalizer shifted = RowCanonicalizer.of(target, Dialect.POSTGRESQL, List.of("id"),
        rules.withSourceZone("+02:00"), Set.of("c"));
    for (String[] r : sqlAndJava(maria, Dialect.MYSQL, "t", shifted, source)) {
      assertEquals(r[1], r[0], "fixed-offset source zone");
    }
  }

  @Test
  void enginesThatCannotAgreeHaveNoSqlForm() throws Exception {
    TestDatabase maria = EmbeddedDatabases.newMariaDb();
    maria.execute("create table t(id bigint primary key, j json, f double)");
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("create table t(id int8 primary key, j jsonb, f float8)");
    Layout source = layout(maria, "t");
    Layout target = layout(pg, "t");
    RowCanonicalizer canon = RowCanonicalizer.of(target, Dialect.POSTGRESQL, List.of("id"),
        CanonicalRules.exact(), Set.of());
    SqlCanonical.Form form = canon.sqlRow(Dialect.MYSQL, source.columns(), Dialect.POSTGRESQL,
        target.columns());
    assertFalse(form.available());
    assertTrue(form.problem().contains("column j"), form.problem());
    assertTrue(canon.sqlRow(Dialect.POSTGRESQL, target.columns(), Dialect.POSTGRESQL,
        target.columns()).available(), "PostgreSQL on both sides agrees on jsonb and floats");
  }

  /**
   * Floats compare by their exact binary value in SQL on both engines: edge values inserted as
   * exact literals on both sides compute the same text in MariaDB, in PostgreSQL and in the JVM
   * from the value itself (not from what a driver read), including a double compared as a real.
   */
  @Test
  void floatsHaveOneExactTextOnBothEngines() throws Exception {
    double[] doubles = {0.0, 1.2345670461654663, 0.3333333432674408, 158.35792541503906,
        Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE,
        -Double.MAX_VALUE, -3.5, 1e15, 1e16, 0.1, 1e-5, Math.nextUp(1.0), Math.nextDown(1.0),
        Math.nextDown(2.0), 9007199254740993.0, -1e-30, -1e-300, 123456789.125};
    TestDatabase maria = EmbeddedDatabases.newMariaDb();
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    maria.execute("create table t(id bigint primary key, d double, f float, df double)");
    pg.execute("create table t(id int8 primary key, d float8, f float4, df float4)");
    for (int i = 0; i < doubles.length; i++) {
      String d = Double.toString(doubles[i]);
      // Beyond a float's range the double column is compared with a real elsewhere (a
      // conversion error), not here.
      String f = Double.toString(single(doubles[i]));
      String df = Float.isFinite((float) doubles[i]) && (float) doubles[i] != 0 ? d : "0";
      maria.execute("insert into t values (" + i + ", " + literal(d) + ", " + literal(f) + ", "
          + literal(df) + ")");
      // What a backfill writes into the real column: the double rounded to a float.
      pg.execute("insert into t values (" + i + ", '" + d + "', '" + f + "', '"
          + (df.equals("0") ? "0" : f) + "')");
    }
    Layout target = layout(pg, "t");
    Layout source = layout(maria, "t");
    RowCanonicalizer canon = RowCanonicalizer.of(target, Dialect.POSTGRESQL, List.of("id"),
        CanonicalRules.exact(), Set.of());
    List<String> fromMaria = sqlTexts(maria, canon.sqlRow(Dialect.MYSQL, source.columns(),
        Dialect.POSTGRESQL, target.columns()).sql());
    List<String> fromPg = sqlTexts(pg, canon.sqlRow(Dialect.POSTGRESQL, target.columns(),
        Dialect.MYSQL, source.columns()).sql());
    for (int i = 0; i < doubles.length; i++) {
      float single = single(doubles[i]);
      String expected = canon.canonicalRow(new Object[] {(long) i, doubles[i], single,
          Float.isFinite((float) doubles[i]) ? single : 0f});
      assertEquals(expected, fromMaria.get(i), "MariaDB, value " + doubles[i]);
      assertEquals(expected, fromPg.get(i), "PostgreSQL, value " + doubles[i]);
    }
    pg.execute("insert into t values (100, '-0', 'NaN', '-Infinity')");
    String specials = canon.canonicalRow(new Object[] {100L, -0.0, Float.NaN,
        Float.NEGATIVE_INFINITY});
    List<String> pgSpecials = sqlTexts(pg, canon.sqlRow(Dialect.POSTGRESQL, target.columns(),
        Dialect.POSTGRESQL, target.columns()).sql());
    assertEquals(specials, pgSpecials.get(pgSpecials.size() - 1));
    assertFalse(specials.equals(canon.canonicalRow(new Object[] {100L, 0.0, Float.NaN,
        Float.NEGATIVE_INFINITY})), "-0 and 0 differ");
  }

  /** The float a test stores for {@code d}: in range, and never -0 (MariaDB has none). */
  private static float single(double d) {
    float f = (float) d;
    return f == 0 ? 0f : Float.isFinite(f) ? f : Math.copySign(Float.MAX_VALUE, f);
  }

  /** A MySQL floating-point literal (an exponent makes it a double, not a decimal). */
  private static String literal(String javaText) {
    return javaText.contains("E") ? javaText : javaText + "e0";
  }

  private static List<String> sqlTexts(TestDatabase db, String rowSql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + rowSql + " FROM t ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
