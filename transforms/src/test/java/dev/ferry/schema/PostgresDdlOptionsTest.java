package dev.ferry.schema;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The choices users make: mapping options and their own rules files, run on real servers. */
class PostgresDdlOptionsTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static SourceSchema schema;

  @BeforeAll
  static void readSource() {
    schema = SourceSchemaFixture.read();
  }

  @Test
  void timestamptzEnumTypesTriggersAndATargetSchema() {
    MappingOptions options =
        MappingOptions.defaults()
            .withDatetimeType(MappingOptions.DatetimeType.TIMESTAMPTZ)
            .withSourceZone(PARIS)
            .withEnumStyle(MappingOptions.EnumStyle.POSTGRES_ENUM)
            .withOnUpdateTriggers(true)
            .withTargetSchema("App Data");
    PostgresDdl ddl = PostgresDdl.generate(schema, TypeMappingRules.defaults(), options);
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("CREATE SCHEMA \"App Data\"");
    pg.execute(ddl.beforeLoad().toArray(String[]::new));
    pg.execute(ddl.afterLoad().toArray(String[]::new));
    pg.execute(ddl.onUpdateTriggers().toArray(String[]::new));

    Map<String, String> types =
        PostgresDdlTest.types(new PostgresCatalog(pg, "App Data").columns("all_types"));
    assertEquals("timestamp with time zone(0)", types.get("dt"));
    assertEquals("timestamp with time zone(3)", types.get("dt3"));
    assertEquals("all_types_status", types.get("status"));
    assertEquals(
        List.of("new", "paid", "it's"),
        pg
            .query(
                "SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid"
                    + " JOIN pg_namespace n ON n.oid = t.typnamespace"
                    + " WHERE n.nspname = 'App Data' AND t.typname = 'all_types_status'"
                    + " ORDER BY e.enumsortorder")
            .stream()
            .map(r -> r.get(0))
            .toList());

    // the DATETIME default 2020-01-02 03:04:05 is Paris time
    pg.execute(
        "INSERT INTO \"App Data\".all_types (shape, ts) VALUES ('\\x01', '2001-01-01 00:00Z')");
    long expectedEpoch = LocalDateTime.of(2020, 1, 2, 3, 4, 5).atZone(PARIS).toEpochSecond();
    assertEquals(
        expectedEpoch,
        ((Number) pg.scalar("SELECT extract(epoch FROM dt) FROM \"App Data\".all_types"))
            .longValue());
    assertEquals("new", pg.scalar("SELECT status::text FROM \"App Data\".all_types"));

    // ON UPDATE CURRENT_TIMESTAMP: a change stamps the row, an explicit value is kept
    pg.execute("UPDATE \"App Data\".all_types SET int_s = 5");
    assertEquals(
        true, pg.scalar("SELECT ts > now() - interval '1 minute' FROM \"App Data\".all_types"));
    pg.execute("UPDATE \"App Data\".all_types SET int_s = 6, ts = '2001-01-01 00:00Z'");
    assertEquals(true, pg.scalar("SELECT ts = '2001-01-01 00:00Z' FROM \"App Data\".all_types"));

    TableConversion allTypes = ddl.conversion("all_types").orElseThrow();
    PostgresDdlTest.assertNeeds(
        allTypes, "dt", ConversionNeed.ZERO_DATES_TO_NULL, ConversionNeed.SOURCE_ZONE);
    assertEquals(Optional.of(PARIS), PostgresDdlTest.column(allTypes, "dt").sourceZone());
    PostgresDdlTest.assertNeeds(
        allTypes, "status", ConversionNeed.ENUM, ConversionNeed.CAST_FROM_TEXT);
  }

  @Test
  void aUserRulesFileOverridesTheDefaults() {
    String yaml =
        "rules:\n"
            + "  - name: datetime as instant\n"
            + "    when: {type: datetime}\n"
            + "    to: timestamptz({fsp})\n"
            + "  - name: one column as plain text\n"
            + "    when: {table: all_types, column: vc}\n"
            + "    to: text\n";
    TypeMappingRules rules = TypeMappingRules.defaults().overriddenBy(load(yaml));
    PostgresDdl ddl = PostgresDdl.generate(schema, rules, MappingOptions.defaults());
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute(ddl.beforeLoad().toArray(String[]::new));

    Map<String, String> types =
        PostgresDdlTest.types(new PostgresCatalog(pg, "public").columns("all_types"));
    assertEquals("timestamp with time zone(0)", types.get("dt"));
    assertEquals("timestamp with time zone(3)", types.get("dt3"));
    assertEquals("text", types.get("vc"));
    assertEquals("boolean", types.get("flag"));
    assertEquals(
        "character varying(50)",
        PostgresDdlTest.types(new PostgresCatalog(pg, "public").columns("legacy_latin1"))
            .get("name"));
  }

  @Test
  void anUnknownTypeIsAnErrorNamingTableAndColumn() {
    TypeMappingRules onlyIntegers =
        TypeMappingRules.defaults()
            .overriddenBy(
                load("replaceDefaults: true\nrules:\n  - when: {type: int}\n    to: integer\n"));
    ColumnMappingException e =
        assertThrows(
            ColumnMappingException.class,
            () -> PostgresDdl.generate(schema, onlyIntegers, MappingOptions.defaults()));
    assertEquals("all_types", e.table());
    assertEquals("flag", e.column());
    assertThat(e.getMessage(), containsString("table 'all_types', column 'flag'"));
    assertThat(e.getMessage(), containsString("tinyint(1)"));
  }

  @Test
  void theDefaultOptionsReportOnUpdateWithoutGeneratingTriggers() {
    PostgresDdl ddl = PostgresDdl.generate(schema);
    assertTrue(ddl.onUpdateTriggers().isEmpty());
    assertThat(
        ddl.report().of(WarningKind.ON_UPDATE_CURRENT_TIMESTAMP).get(0).message(),
        containsString("withOnUpdateTriggers"));
  }

  @Test
  void namesLongerThanPostgresAllowsAreShortenedAndReported() {
    PostgresDdl ddl = PostgresDdl.generate(schema);
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute(ddl.beforeLoad().toArray(String[]::new));
    String longName = SourceSchemaFixture.LONG_NAME;
    TableConversion conversion = ddl.conversion(longName).orElseThrow();
    String shortName = conversion.targetTable();
    assertEquals(63, shortName.length());
    assertEquals(shortName, conversion.columns().get(0).targetColumn());
    assertEquals(
        List.of(shortName),
        List.copyOf(new PostgresCatalog(pg, "public").columns(shortName).keySet()));
    PostgresDdlTest.assertWarned(ddl.report(), WarningKind.IDENTIFIER_TOO_LONG, longName, null);
    PostgresDdlTest.assertWarned(ddl.report(), WarningKind.IDENTIFIER_TOO_LONG, longName, longName);
  }

  @Test
  void aCheckMySqlDoesNotEnforceIsReportedInsteadOfCreated() {
    ColumnDef id =
        new ColumnDef(
            "id", "int", "int", false, Optional.empty(), "", Optional.empty(), Optional.empty());
    TableDef table =
        new TableDef(
            "t",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of(id),
            Optional.empty(),
            List.of(),
            List.of(),
            List.of(
                new CheckDef("positive", "`id` > 0", false), new CheckDef("c2", "`id` < 9", true)));
    PostgresDdl ddl = PostgresDdl.generate(new SourceSchema("s", "8.0.36", List.of(table)));
    assertEquals(
        List.of("ALTER TABLE \"t\" ADD CONSTRAINT \"c2\" CHECK (\"id\" < 9)"),
        ddl.addCheckConstraints());
    assertThat(
        ddl.report().of(WarningKind.CHECK_SKIPPED).get(0).toString(),
        containsString("table 't': check 'positive' is NOT ENFORCED"));
  }

  private static TypeMappingRules load(String yaml) {
    return TypeMappingRules.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }
}
