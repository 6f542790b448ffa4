package dev.ferry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** How source identifiers are spelled in PostgreSQL, mode by mode. */
class NamingTest {
  @Test
  void eachModeSpellsCamelCaseAcronymsDigitsAndSpaces() {
    Map<String, List<String>> expected = new LinkedHashMap<>();
    // source -> [lower, snake, preserve]
    expected.put("InvoiceLine", List.of("invoiceline", "invoice_line", "InvoiceLine"));
    expected.put("UnitPrice", List.of("unitprice", "unit_price", "UnitPrice"));
    expected.put("HTTPStatus", List.of("httpstatus", "http_status", "HTTPStatus"));
    expected.put("XMLHttpRequest", List.of("xmlhttprequest", "xml_http_request",
        "XMLHttpRequest"));
    expected.put("userID", List.of("userid", "user_id", "userID"));
    expected.put("userId2", List.of("userid2", "user_id2", "userId2"));
    expected.put("Address2Line", List.of("address2line", "address2_line", "Address2Line"));
    expected.put("user_id", List.of("user_id", "user_id", "user_id"));
    expected.put("User_ID", List.of("user_id", "user_id", "User_ID"));
    expected.put("ID", List.of("id", "id", "ID"));
    expected.put("order lines", List.of("order lines", "order_lines", "order lines"));
    expected.put("Straße", List.of("straße", "straße", "Straße"));
    expected.put("ÄrgerNummer", List.of("ärgernummer", "ärger_nummer", "ÄrgerNummer"));
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      List<String> actual = List.of(Naming.LOWER.apply(e.getKey()),
          Naming.SNAKE.apply(e.getKey()), Naming.PRESERVE.apply(e.getKey()));
      assertEquals(e.getValue(), actual, e.getKey());
    }
  }

  @Test
  void flagsNameTheModes() {
    assertEquals(Naming.SNAKE, Naming.fromFlag("snake"));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> Naming.fromFlag("camel"));
    assertEquals("must be lower, snake or preserve, not 'camel'", e.getMessage());
  }

  /** Triggers, their functions, enum types and checks are spelled like the tables they serve. */
  @Test
  void snakeCaseReachesTriggersFunctionsEnumTypesAndChecks() throws Exception {
    TestDatabase maria = EmbeddedDatabases.newMariaDb();
    maria.execute("CREATE TABLE InvoiceLine (InvoiceLineId INT PRIMARY KEY,"
        + " LineState ENUM('Open','Done'), UnitPrice DECIMAL(8,2),"
        + " ChangedAt TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
        + " CONSTRAINT PriceCheck CHECK (UnitPrice >= 0))");
    SourceSchema source;
    try (var c = maria.connect()) {
      source = MySqlCatalog.read(c);
    }
    PostgresDdl ddl = PostgresDdl.generate(source, TypeMappingRules.defaults(),
        MappingOptions.defaults().withNaming(Naming.SNAKE).withOnUpdateTriggers(true)
            .withEnumStyle(MappingOptions.EnumStyle.POSTGRES_ENUM));
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute(ddl.beforeLoad().toArray(String[]::new));
    pg.execute(ddl.afterLoad().toArray(String[]::new));
    pg.execute(ddl.onUpdateTriggers().toArray(String[]::new));
    assertEquals("invoice_line_on_update", pg.scalar("SELECT tgname FROM pg_trigger"
        + " WHERE tgrelid = 'invoice_line'::regclass AND NOT tgisinternal"));
    assertEquals(1L, pg.scalar("SELECT count(*) FROM pg_proc"
        + " WHERE proname = 'invoice_line_on_update'"));
    assertEquals(1L, pg.scalar("SELECT count(*) FROM pg_type"
        + " WHERE typname = 'invoice_line_line_state' AND typtype = 'e'"));
    assertEquals("CHECK ((unit_price >= (0)::numeric))", pg.scalar("SELECT"
        + " pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'price_check'"));
    pg.execute("INSERT INTO invoice_line (invoice_line_id, line_state, unit_price)"
        + " VALUES (1, 'Open', 2)");
    assertEquals(List.of("column InvoiceLine.InvoiceLineId -> invoice_line_id",
            "column InvoiceLine.LineState -> line_state",
            "column InvoiceLine.UnitPrice -> unit_price",
            "column InvoiceLine.ChangedAt -> changed_at"),
        ddl.renames().stream().map(Rename::toString).filter(r -> r.startsWith("column"))
            .toList());
  }

  /** The reserved words are exactly those PostgreSQL itself will not take unquoted as names. */
  @Test
  void reservedWordsAreThoseOfPostgres() {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    Set<String> postgres = new TreeSet<>();
    for (List<Object> row : pg.query(
        "SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')")) {
      postgres.add((String) row.get(0));
    }
    assertEquals(postgres, new TreeSet<>(ReservedWords.all()));
  }
}
