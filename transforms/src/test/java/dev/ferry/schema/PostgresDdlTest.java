package dev.ferry.schema;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generates PostgreSQL DDL from a real MariaDB schema with the default rules, runs it on a real
 * PostgreSQL and checks what PostgreSQL made of it.
 */
class PostgresDdlTest {
  private static PostgresDdl ddl;
  private static TestDatabase pg;
  private static PostgresCatalog catalog;

  @BeforeAll
  static void createSchemaInPostgres() {
    // Names as MariaDB spells them: this test is about quoting reserved words, mixed case and
    // spaces; NamingTest covers lower and snake case.
    ddl =
        PostgresDdl.generate(
            SourceSchemaFixture.read(),
            TypeMappingRules.defaults(),
            MappingOptions.defaults().withNaming(Naming.PRESERVE));
    pg = EmbeddedDatabases.newPostgres();
    pg.execute(ddl.beforeLoad().toArray(String[]::new));
    pg.execute(ddl.afterLoad().toArray(String[]::new));
    catalog = new PostgresCatalog(pg, "public");
  }

  @Test
  void mapsEveryColumnTypeByTheDefaultRules() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("id", "bigint");
    expected.put("flag", "boolean");
    expected.put("tiny", "smallint");
    expected.put("tiny_u", "smallint");
    expected.put("small", "smallint");
    expected.put("small_u", "integer");
    expected.put("medium", "integer");
    expected.put("medium_u", "integer");
    expected.put("int_s", "integer");
    expected.put("int_u", "bigint");
    expected.put("big", "bigint");
    expected.put("big_u", "numeric(20,0)");
    expected.put("padded", "bigint");
    expected.put("price", "numeric(10,2)");
    expected.put("ratio", "real");
    expected.put("score", "double precision");
    expected.put("bit1", "boolean");
    expected.put("bits", "bit(5)");
    expected.put("d", "date");
    expected.put("d_ok", "date");
    expected.put("dt", "timestamp without time zone(0)");
    expected.put("dt3", "timestamp without time zone(3)");
    expected.put("zero_dt", "timestamp without time zone(0)");
    expected.put("ts", "timestamp with time zone(0)");
    expected.put("ts6", "timestamp with time zone(6)");
    expected.put("t", "time without time zone(0)");
    expected.put("t6", "time without time zone(6)");
    expected.put("y", "integer");
    expected.put("c", "character(3)");
    expected.put("vc", "character varying(100)");
    for (String text : List.of("tt", "tx", "mt", "lt")) {
      expected.put(text, "text");
    }
    for (String binary : List.of("b", "vb", "tb", "bl", "mb", "lb")) {
      expected.put(binary, "bytea");
    }
    expected.put("status", "text");
    expected.put("tags", "text[]");
    expected.put("doc", "jsonb");
    expected.put("geo", "bytea");
    expected.put("pt", "bytea");
    expected.put("shape", "bytea");
    expected.put("u", "uuid");
    expected.put("ip", "inet");
    expected.put("calc", "integer");
    assertEquals(expected, types(catalog.columns("all_types")));
  }

  @Test
  void turnsAutoIncrementIntoIdentityAndKeepsNullability() {
    Map<String, PostgresCatalog.Column> columns = catalog.columns("all_types");
    assertTrue(columns.get("id").identity());
    assertEquals("BY DEFAULT", columns.get("id").identityGeneration());
    assertTrue(catalog.columns("order").get("id").identity());
    assertEquals(false, columns.get("int_s").identity());
    assertEquals(false, columns.get("flag").nullable());
    assertEquals(false, columns.get("status").nullable());
    assertEquals(true, columns.get("tiny").nullable());
    // zero dates load as NULL, so a NOT NULL column defaulting to one must accept NULL
    assertEquals(true, columns.get("zero_dt").nullable());
    assertEquals(null, columns.get("zero_dt").defaultValue());
    assertEquals(null, columns.get("d").defaultValue());
  }

  @Test
  void translatesDefaults() {
    pg.execute("INSERT INTO all_types (shape) VALUES ('\\x01'::bytea)");
    List<Object> row =
        pg.query(
                "SELECT flag::text, tiny::text, int_s::text, big_u::text, price::text,"
                    + " score::text, bit1::text, bits::text, d::text, d_ok::text, dt::text,"
                    + " zero_dt::text, t::text, y::text, c::text, vc, status, tags::text,"
                    + " u IS NOT NULL, ts > now() - interval '1 minute', dt3 IS NOT NULL"
                    + " FROM all_types WHERE shape = '\\x01'")
            .get(0);
    assertEquals(
        List.of("true", "-5", "0", "18446744073709551615", "9.99", "1.5", "true", "00101"),
        row.subList(0, 8));
    assertEquals(
        java.util.Arrays.asList(
            null,
            "2020-02-29",
            "2020-01-02 03:04:05",
            null,
            "12:30:00",
            "2024",
            "ab",
            "it's",
            "new",
            "{a,b}",
            true,
            true,
            true),
        row.subList(8, row.size()));
  }

  @Test
  void checksEnumAndSetLabels() {
    pg.execute(
        "INSERT INTO all_types (shape, vc, status, tags) VALUES ('\\x02', 'v2', 'it''s', '{c}')");
    assertThrows(
        IllegalStateException.class,
        () ->
            pg.execute(
                "INSERT INTO all_types (shape, vc, status) VALUES ('\\x03', 'v3', 'bogus')"));
    assertThrows(
        IllegalStateException.class,
        () ->
            pg.execute("INSERT INTO all_types (shape, vc, tags) VALUES ('\\x04', 'v4', '{a,z}')"));
    assertThrows(
        IllegalStateException.class,
        () -> pg.execute("INSERT INTO all_types (shape, vc, price) VALUES ('\\x05', 'v5', -1)"));
  }

  @Test
  void createsIndexesWithPrefixesAsLeftExpressionsAndSkipsFulltextAndSpatial() {
    Map<String, String> indexes = catalog.indexes("all_types");
    assertEquals(
        java.util.Set.of(
            "all_types_pkey",
            "all_types_uq_vc_c",
            "all_types_k_tx",
            "all_types_k_bl",
            "all_types_k_multi"),
        indexes.keySet());
    assertThat(indexes.get("all_types_uq_vc_c"), containsString("UNIQUE INDEX"));
    assertThat(indexes.get("all_types_uq_vc_c"), containsString("\"left\"((vc)::text, 10), c)"));
    assertThat(indexes.get("all_types_k_tx"), containsString("(\"left\"(tx, 20))"));
    assertThat(indexes.get("all_types_k_bl"), containsString("SUBSTRING(bl FROM 1 FOR 8)"));
    assertThat(indexes.get("all_types_k_multi"), containsString("(int_s, price DESC)"));
    assertThat(catalog.indexes("order").keySet(), hasItem("order_Order Customer"));
    assertThat(catalog.indexes("customer").get("customer_uq_email"), containsString("UNIQUE"));
  }

  @Test
  void addsForeignKeysWithTheirRulesUnderReservedAndMixedCaseNames() {
    assertEquals(
        List.of(
            "f",
            "FOREIGN KEY (customer_id) REFERENCES customer(id)"
                + " ON UPDATE RESTRICT ON DELETE CASCADE"),
        catalog.constraints("order").get("fk_order_customer"));
    assertEquals(
        List.of(
            "f",
            "FOREIGN KEY (order_id) REFERENCES \"order\"(id) ON UPDATE RESTRICT ON DELETE SET"
                + " NULL"),
        catalog.constraints("My Table").get("fk My Order"));
    assertEquals("f", catalog.constraints("category").get("fk_category_parent").get(0));
    assertEquals("f", catalog.constraints("dept").get("fk_dept_manager").get(0));
    assertEquals("f", catalog.constraints("employee").get("fk_employee_dept").get(0));
    assertThat(catalog.constraints("child_nu").keySet(), not(hasItem("fk_child_code")));
    assertEquals(
        List.of("Id", "order_id", "Mixed Case"), List.copyOf(catalog.columns("My Table").keySet()));
    assertEquals(
        List.of("id", "customer_id", "Select", "group"),
        List.copyOf(catalog.columns("order").keySet()));

    pg.execute(
        "INSERT INTO customer (id, email) VALUES (10, 'a@example.com')",
        "INSERT INTO \"order\" (id, customer_id, \"Select\") VALUES (20, 10, 'x')",
        "INSERT INTO \"My Table\" (\"Id\", order_id) VALUES (30, 20)",
        "DELETE FROM customer WHERE id = 10");
    assertEquals(0L, pg.count("\"order\""));
    assertEquals(null, pg.scalar("SELECT order_id FROM \"My Table\" WHERE \"Id\" = 30"));
  }

  @Test
  void restartsIdentitiesPastLoadedIdsAndSourceGaps() throws SQLException {
    // the load writes the source ids; MySQL would hand out 6 next although max(id) is 3
    pg.execute("INSERT INTO gapped (id, v) VALUES (1, 'a'), (3, 'c')");
    List<String> restarts;
    try (Connection c = pg.connect()) {
      restarts = ddl.identityRestartStatements(c);
    }
    assertThat(restarts, hasItem("ALTER TABLE \"gapped\" ALTER COLUMN \"id\" RESTART WITH 6"));
    pg.execute(restarts.toArray(String[]::new));
    assertEquals(6, pg.scalar("INSERT INTO gapped (v) VALUES ('f') RETURNING id"));

    IdentityRestart gapped =
        ddl.identityRestarts().stream()
            .filter(r -> r.table().equals("gapped"))
            .findFirst()
            .orElseThrow();
    assertEquals(11, gapped.restartValue(10));
  }

  @Test
  void reportsEveryDifferenceWithTableAndColumn() {
    Report report = ddl.report();
    assertWarned(report, WarningKind.ZERO_DATE_DEFAULT, "all_types", "d");
    assertWarned(report, WarningKind.ZERO_DATE_DEFAULT, "all_types", "zero_dt");
    assertWarned(report, WarningKind.NOT_NULL_DROPPED, "all_types", "zero_dt");
    assertWarned(report, WarningKind.ON_UPDATE_CURRENT_TIMESTAMP, "all_types", "ts");
    assertWarned(report, WarningKind.ZEROFILL, "all_types", "padded");
    assertWarned(report, WarningKind.LOSSY_TYPE, "all_types", "geo");
    assertWarned(report, WarningKind.LOSSY_TYPE, "all_types", "t");
    assertWarned(report, WarningKind.GENERATED_COLUMN, "all_types", "calc");
    assertWarned(report, WarningKind.CHARSET, "legacy_latin1", "name");
    assertWarned(report, WarningKind.PREFIX_INDEX, "all_types", null);
    assertWarned(report, WarningKind.LOAD_ORDER_CYCLE, "dept", null);
    assertWarned(report, WarningKind.LOAD_ORDER_CYCLE, "employee", null);
    assertWarned(report, WarningKind.FOREIGN_KEY_SKIPPED, "child_nu", null);
    List<String> skipped =
        report.of(WarningKind.INDEX_SKIPPED).stream().map(Warning::message).toList();
    assertEquals(2, skipped.size(), skipped.toString());
    assertThat(skipped.get(0) + skipped.get(1), containsString("'ft_tx'"));
    assertThat(skipped.get(0) + skipped.get(1), containsString("'sp_shape'"));
    assertEquals(
        "table 'all_types', column 'd': zero-date default '0000-00-00' dropped: zero dates load"
            + " as NULL [ZERO_DATE_DEFAULT]",
        report.of(WarningKind.ZERO_DATE_DEFAULT).get(0).toString());
  }

  @Test
  void describesPerColumnConversionsForTheDataCopy() {
    TableConversion allTypes = ddl.conversion("all_types").orElseThrow();
    assertNeeds(allTypes, "flag", ConversionNeed.TO_BOOLEAN);
    assertNeeds(allTypes, "bit1", ConversionNeed.TO_BOOLEAN);
    assertNeeds(allTypes, "bits", ConversionNeed.BIT_STRING);
    assertNeeds(allTypes, "big_u", ConversionNeed.UNSIGNED_BIGINT);
    assertNeeds(allTypes, "d", ConversionNeed.ZERO_DATES_TO_NULL);
    assertNeeds(allTypes, "dt", ConversionNeed.ZERO_DATES_TO_NULL);
    assertNeeds(allTypes, "ts", ConversionNeed.ZERO_DATES_TO_NULL);
    assertNeeds(allTypes, "status", ConversionNeed.ENUM);
    assertNeeds(allTypes, "tags", ConversionNeed.SET_TO_ARRAY);
    assertNeeds(allTypes, "doc", ConversionNeed.CAST_FROM_TEXT);
    assertNeeds(allTypes, "u", ConversionNeed.CAST_FROM_TEXT);
    assertNeeds(allTypes, "geo", ConversionNeed.GEOMETRY_WKB);
    assertNeeds(allTypes, "y", ConversionNeed.YEAR_AS_NUMBER);
    assertNeeds(allTypes, "t", ConversionNeed.TIME_OF_DAY);
    assertNeeds(allTypes, "vc");
    assertNeeds(allTypes, "id");
    assertEquals(List.of("new", "paid", "it's"), column(allTypes, "status").labels());
    assertEquals(
        List.of("d", "d_ok", "dt", "dt3", "zero_dt", "ts", "ts6"),
        allTypes.columnsNeeding(ConversionNeed.ZERO_DATES_TO_NULL).stream()
            .map(ColumnConversion::sourceColumn)
            .toList());
  }

  static void assertNeeds(TableConversion table, String column, ConversionNeed... needs) {
    assertEquals(java.util.Set.of(needs), column(table, column).needs(), column);
  }

  static ColumnConversion column(TableConversion table, String column) {
    return table.columns().stream()
        .filter(c -> c.sourceColumn().equals(column))
        .findFirst()
        .orElseThrow();
  }

  static void assertWarned(Report report, WarningKind kind, String table, String column) {
    assertTrue(
        report.of(kind).stream()
            .anyMatch(
                w ->
                    w.table().equals(table)
                        && (column == null || w.column().equals(java.util.Optional.of(column)))),
        kind + " for " + table + "." + column + " in\n" + report);
  }

  /** Each column's type the way a person would write it, e.g. {@code numeric(10,2)}. */
  static Map<String, String> types(Map<String, PostgresCatalog.Column> columns) {
    Map<String, String> types = new LinkedHashMap<>();
    columns.forEach(
        (name, c) -> {
          String type;
          if (c.dataType().equals("ARRAY")) {
            type = c.udtName().substring(1) + "[]";
          } else if (c.dataType().equals("USER-DEFINED")) {
            type = c.udtName();
          } else if (c.length() != null) {
            type = c.dataType() + "(" + c.length() + ")";
          } else if (c.dataType().equals("numeric") && c.precision() != null) {
            type = "numeric(" + c.precision() + "," + c.scale() + ")";
          } else if (c.dataType().startsWith("time")) {
            type = c.dataType() + "(" + c.datetimePrecision() + ")";
          } else {
            type = c.dataType();
          }
          types.put(name, type);
        });
    return types;
  }
}
