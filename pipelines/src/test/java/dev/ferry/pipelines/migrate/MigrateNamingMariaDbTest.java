package dev.ferry.pipelines.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.cli.Ferry;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.schema.Warning;
import dev.ferry.schema.WarningKind;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --naming}: a MariaDB schema with CamelCase, mixed-case, acronym, digit and reserved-word
 * names migrated in each mode. The names are checked in PostgreSQL's catalog, every table is
 * reconciled through its generated mapping file with {@code ferry reconcile}, and names that
 * collide stop the plan before anything is created.
 */
class MigrateNamingMariaDbTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "--naming={0}")
  @CsvSource(delimiter = '|', value = {
      "lower    | invoice,invoiceline,xmlfeed"
          + " | invoicelineid,invoiceid,unitprice,httpstatus,userid2,order"
          + " | invoiceline_ifk_invoiceid,invoiceline_pkey | fk_invoicelineinvoiceid"
          + " | invoice_status",
      "snake    | invoice,invoice_line,xml_feed"
          + " | invoice_line_id,invoice_id,unit_price,http_status,user_id2,order"
          + " | invoice_line_ifk_invoice_id,invoice_line_pkey | fk_invoice_line_invoice_id"
          + " | invoice_status",
      "preserve | Invoice,InvoiceLine,XMLFeed"
          + " | InvoiceLineId,InvoiceId,UnitPrice,HTTPStatus,userId2,Order"
          + " | InvoiceLine_IFK_InvoiceId,InvoiceLine_pkey | FK_InvoiceLineInvoiceId"
          + " | Invoice_Status"})
  void namesInEachModeAndACleanReconcileThroughTheMappingFiles(String naming, String tables,
      String lineColumns, String lineIndexes, String foreignKey, String enumType)
      throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute(
        "CREATE TABLE Invoice (InvoiceId INT PRIMARY KEY, BillingCity VARCHAR(40),"
            + " Status ENUM('Open','Paid') NOT NULL DEFAULT 'Open')",
        "CREATE TABLE InvoiceLine (InvoiceLineId INT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " InvoiceId INT NOT NULL, UnitPrice DECIMAL(10,2) NOT NULL,"
            + " HTTPStatus SMALLINT, userId2 VARCHAR(10), `Order` VARCHAR(10),"
            + " KEY IFK_InvoiceId (InvoiceId),"
            + " CONSTRAINT FK_InvoiceLineInvoiceId FOREIGN KEY (InvoiceId)"
            + " REFERENCES Invoice (InvoiceId), CONSTRAINT PositivePrice CHECK (UnitPrice >= 0))",
        "CREATE TABLE XMLFeed (ID INT PRIMARY KEY, rawXML TEXT)",
        "INSERT INTO Invoice SELECT seq, CONCAT('City ', seq), IF(seq % 2, 'Open', 'Paid')"
            + " FROM seq_1_to_30",
        "INSERT INTO InvoiceLine (InvoiceId, UnitPrice, HTTPStatus, userId2, `Order`)"
            + " SELECT 1 + seq % 30, seq * 0.99, 200 + seq % 3, CONCAT('u', seq),"
            + " CONCAT('o', seq) FROM seq_1_to_120",
        "INSERT INTO XMLFeed VALUES (1, '<a/>'), (2, NULL)");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    Path mappings = tmp.resolve("mappings");

    MigrationSummary plan = Migrations.plan(src, mappings, "--naming=" + naming);
    assertEquals(ExitCodes.OK, plan.exitCode, plan.error);
    if (!naming.equals("preserve")) {
      assertTrue(plan.renames.contains("table InvoiceLine -> " + split(tables).get(1)),
          plan.renames.toString());
    }
    assertTrue(plan.renames.stream().noneMatch(r -> r.startsWith("table Invoice ->"))
        == naming.equals("preserve"), plan.renames.toString());

    MigrationSummary migrated = Migrations.migrate(src, dst, mappings, "--naming=" + naming,
        "--enumAs=type", "--targetSchema=App", "--stateSchema=ferry_state");
    assertEquals(ExitCodes.OK, migrated.exitCode, migrated.error);
    String schema = naming.equals("preserve") ? "App" : "app";
    assertEquals(sorted(split(tables)), column(dst, "SELECT tablename FROM pg_tables"
        + " WHERE schemaname = '" + schema + "' ORDER BY tablename COLLATE \"C\""));
    String line = split(tables).get(1);
    assertEquals(split(lineColumns), column(dst, "SELECT attname FROM pg_attribute"
        + " WHERE attrelid = '" + qualified(schema, line) + "'::regclass AND attnum > 0"
        + " ORDER BY attnum"));
    assertEquals(sorted(split(lineIndexes)), column(dst, "SELECT indexname FROM pg_indexes"
        + " WHERE schemaname = '" + schema + "' AND tablename = '" + line + "'"
        + " ORDER BY indexname COLLATE \"C\""));
    List<String> constraints = column(dst, "SELECT conname FROM pg_constraint"
        + " WHERE conrelid = '" + qualified(schema, line) + "'::regclass");
    assertTrue(constraints.contains(foreignKey), constraints.toString());
    assertTrue(constraints.contains(naming.equals("preserve") ? "PositivePrice"
        : naming.equals("snake") ? "positive_price" : "positiveprice"), constraints.toString());
    assertEquals(List.of(enumType), column(dst, "SELECT typname FROM pg_type t JOIN pg_namespace n"
        + " ON n.oid = t.typnamespace WHERE nspname = '" + schema + "' AND typtype = 'e'"));
    // The identity's sequence is named after the PostgreSQL table and column.
    assertEquals(List.of(line + "_" + split(lineColumns).get(0) + "_seq"), column(dst,
        "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE nspname = '" + schema + "' AND relkind = 'S'"));
    // InnoDB reserved ids in blocks for INSERT ... SELECT; MySQL's next id is the one it hands out.
    Object next = src.scalar("SELECT AUTO_INCREMENT FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'InvoiceLine'");
    assertEquals(((Number) next).intValue(), dst.scalar("INSERT INTO " + qualified(schema, line)
        + " (" + quote(split(lineColumns).get(1)) + ", " + quote(split(lineColumns).get(2))
        + ") VALUES (1, 1) RETURNING " + quote(split(lineColumns).get(0))));
    dst.execute("DELETE FROM " + qualified(schema, line) + " WHERE "
        + quote(split(lineColumns).get(0)) + " = " + next);

    // A name that became a reserved word is quoted in the DDL and named among the warnings.
    List<String> reserved = Migrations.makePlan(src, mappings, "--naming=" + naming).ddl
        .report().of(WarningKind.RESERVED_WORD).stream().map(Warning::toString).toList();
    assertEquals(naming.equals("preserve") ? List.of() : List.of("table 'InvoiceLine', column"
        + " 'Order': the PostgreSQL name 'order' is a reserved word: ferry quotes it in the DDL,"
        + " and every query must quote it too (\"order\") [RESERVED_WORD]"), reserved);

    // Every table reconciles cleanly through the mapping file the plan wrote for it.
    Map<String, MigrationSummary.TableResult> results = migrated.tables.stream()
        .collect(Collectors.toMap(t -> t.table, t -> t));
    for (String source : List.of("Invoice", "InvoiceLine", "XMLFeed")) {
      MigrationSummary.TableResult result = results.get(source);
      assertEquals("VERIFIED", result.phase, source);
      Path file = mappings.resolve(source + ".yaml");
      int exit = Ferry.run(new String[] {"reconcile", "--job=check-" + naming + "-" + source,
          "--sourceUrl=" + src.jdbcUrl(), "--sourceUser=" + src.user(),
          "--sourceTable=" + source, "--targetUrl=" + dst.jdbcUrl(),
          "--targetUser=" + dst.user(), "--targetTable=" + result.targetTable,
          "--mappingFile=" + file, "--stateSchema=ferry_state"});
      assertEquals(0, exit, "ferry reconcile of " + source + " with " + file);
    }
    String lineMapping = Files.readString(mappings.resolve("InvoiceLine.yaml"));
    if (naming.equals("snake")) {
      assertTrue(lineMapping.contains("- {name: \"unit_price\", from: \"UnitPrice\"}"),
          lineMapping);
    }
  }

  @ParameterizedTest(name = "--naming={0}")
  @CsvSource(delimiter = '|', value = {
      "lower    | table 'Order' and table 'order' both become \"order\"",
      "snake    | column 'Users.userId' and column 'Users.user_id' both become \"user_id\"",
      "preserve | "})
  void namesThatCollideStopThePlanBeforeAnythingIsCreated(String naming, String collision) {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE `Order` (id INT PRIMARY KEY)",
        "CREATE TABLE `order` (id INT PRIMARY KEY)",
        "CREATE TABLE Users (id INT PRIMARY KEY, userId INT, user_id INT)");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    MigrationSummary summary = Migrations.migrate(src, dst, tmp.resolve("m"),
        "--naming=" + naming, "--targetSchema=app");
    if (collision == null) {
      assertEquals(ExitCodes.OK, summary.exitCode, summary.error);
      return;
    }
    assertEquals(ExitCodes.INVALID, summary.exitCode, summary.error);
    assertTrue(summary.error.contains(collision), summary.error);
    assertTrue(summary.error.contains("naming " + naming), summary.error);
    assertEquals(0L, dst.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'"),
        "nothing created");
    assertEquals(0L, dst.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
  }

  private static List<String> split(String csv) {
    return List.of(csv.split(","));
  }

  private static List<String> sorted(List<String> names) {
    List<String> copy = new ArrayList<>(names);
    copy.sort(null);
    return copy;
  }

  private static List<String> column(TestDatabase db, String sql) {
    return db.query(sql).stream().map(r -> String.valueOf(r.get(0))).toList();
  }

  private static String quote(String name) {
    return '"' + name + '"';
  }

  private static String qualified(String schema, String name) {
    return quote(schema) + "." + quote(name);
  }
}
