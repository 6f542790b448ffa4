package dev.ferry.pipelines.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.pipelines.cli.Ferry;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole application schema as a DVD-rental database has it: CHAR(n) columns in a primary key
 * and in a composite one, SET, ENUM, ON UPDATE CURRENT_TIMESTAMP, a portable view and one using
 * MySQL-only functions, a trigger, a procedure and a function. Nothing may be skipped in silence,
 * ferry's state stays out of the application's schema, and each table reconciles on its own with
 * the mapping file the migration wrote.
 */
class MigrateWholeSchemaMariaDbTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void migratesTablesAndViewsListsWhatItCannotAndEachTableReconcilesAlone() throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    seed(src);
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    Path mappings = tmp.resolve("mappings");
    Path report = tmp.resolve("migrate.json");

    // The plan already names every view, trigger and routine among its warnings.
    MigrationSummary plan = Migrations.plan(src, tmp.resolve("planned"));
    assertEquals(ExitCodes.OK, plan.exitCode, plan.error);
    assertEquals(5, plan.objects.size(), plan.objects.toString());
    assertTrue(plan.warnings >= 5 + 2, "objects and ON UPDATE columns: " + plan.warnings);
    assertEquals(3, plan.notMigrated, "the trigger and both routines");

    MigrationSummary migrated = Migrations.migrate(src, dst, mappings,
        "--reportFile=" + report);
    assertEquals(ExitCodes.OK, migrated.exitCode, migrated.toConsole());
    assertEquals(Map.of("film_stock", "VERIFIED", "films", "VERIFIED", "languages", "VERIFIED"),
        Migrations.phases(dst));

    // Each object is listed with what became of it: in the summary, its JSON and the file.
    Map<String, String> statuses = new TreeMap<>();
    migrated.objects.forEach(o -> statuses.put(o.kind + " " + o.name, o.status));
    assertEquals(Map.of("view film_list", "created", "view film_months", "not migrated",
        "trigger films_trim", "not migrated", "procedure add_copy", "not migrated",
        "function copies_of", "not migrated"), statuses);
    assertEquals(4, migrated.notMigrated);
    assertTrue(migrated.warnings >= 4, String.valueOf(migrated.warnings));
    String refused = migrated.objects.stream().filter(o -> o.name.equals("film_months"))
        .findFirst().orElseThrow().reason;
    assertTrue(refused.contains("date_format"), refused);
    String console = migrated.toConsole();
    assertTrue(console.contains("view 'film_months': not migrated") && console.contains(
        "not-migrated.sql"), console);
    JsonNode json = JSON.readTree(report.toFile());
    assertEquals(5, json.get("objects").size(), json.toString());
    assertEquals(4, json.get("notMigrated").asInt());
    Path file = mappings.resolve("not-migrated.sql");
    assertEquals(file.toString(), json.get("notMigratedFile").asText());
    String sql = Files.readString(file);
    for (String header : List.of("-- view 'film_months'", "-- trigger 'films_trim' on table"
        + " 'films'", "-- procedure 'add_copy'", "-- function 'copies_of'")) {
      assertTrue(sql.contains(header), header + " in\n" + sql);
    }
    assertTrue(sql.contains("DATE_FORMAT") || sql.contains("date_format"), sql);
    assertTrue(sql.contains("CREATE DEFINER") && sql.contains("TRIM(NEW.title)"), sql);
    assertTrue(!sql.contains("-- view 'film_list'"), "the portable view was migrated");

    // The portable view reads the migrated tables (PostgreSQL shows char(20) padded).
    assertEquals(List.of(List.of(1, "film 1", "English")), dst.query(
        "SELECT id, title, rtrim(language) FROM film_list WHERE id = 1"));
    assertEquals(300L, dst.scalar("SELECT count(*) FROM film_list"));

    // ON UPDATE CURRENT_TIMESTAMP is a trigger: a changed row gets a new time.
    Timestamp before = (Timestamp) dst.scalar("SELECT last_update FROM films WHERE id = 7");
    dst.execute("UPDATE films SET title = 'changed' WHERE id = 7");
    Timestamp after = (Timestamp) dst.scalar("SELECT last_update FROM films WHERE id = 7");
    assertTrue(after.after(before), before + " -> " + after);
    assertEquals(2, migrated.onUpdateTriggers);

    // ferry's state is in its own schema; the application's schema holds its tables only.
    assertEquals(List.of("ferry_dead_letter", "ferry_migration", "ferry_progress", "ferry_runs"),
        names(dst, "SELECT tablename FROM pg_tables WHERE schemaname = 'ferry'"
            + " ORDER BY tablename"));
    assertEquals(List.of("film_stock", "films", "languages"), names(dst, "SELECT tablename"
        + " FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"));

    // Each table reconciles alone with nothing but the connections and its mapping file; films
    // also when the table is named, as a user reconciling one table would.
    // (The row is put back first; setting the column itself is what the trigger leaves alone.)
    dst.execute("UPDATE films SET title = 'film 7', last_update = '" + before + "' WHERE id = 7");
    for (String table : List.of("languages", "films", "film_stock")) {
      assertEquals(0, reconcile(src, dst, mappings.resolve(table + ".yaml")), table);
    }
    assertEquals(0, reconcile(src, dst, mappings.resolve("films.yaml"), "--sourceTable=films"));
  }

  /**
   * Views land beside their tables in --targetSchema, reading the names --naming gave them, with
   * their CHECK OPTION.
   */
  @Test
  void viewsFollowTheTargetSchemaAndTheNaming() {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE OrderLines (LineId INT PRIMARY KEY, UnitPrice DECIMAL(8,2))",
        "INSERT INTO OrderLines VALUES (1, 2.50), (2, 4.00)",
        "CREATE VIEW BigLines AS SELECT LineId, UnitPrice * 2 AS Doubled FROM OrderLines"
            + " WHERE UnitPrice > 3 WITH CASCADED CHECK OPTION");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    MigrationSummary migrated = Migrations.migrate(src, dst, tmp.resolve("m"),
        "--targetSchema=App", "--naming=snake");
    assertEquals(ExitCodes.OK, migrated.exitCode, migrated.toConsole());
    assertEquals(List.of(List.of(2, new java.math.BigDecimal("8.00"))),
        dst.query("SELECT line_id, doubled FROM app.big_lines"));
    assertEquals("CASCADED", dst.scalar("SELECT check_option FROM information_schema.views"
        + " WHERE table_schema = 'app' AND table_name = 'big_lines'"));
    assertEquals(0, migrated.notMigrated);
    assertTrue(!Files.exists(tmp.resolve("m").resolve("not-migrated.sql")));
  }

  @Test
  void mappingFilesGoBesideTheUserByDefault() {
    MigrateOptions options = Migrations.options(EmbeddedDatabases.newMariaDb(), null, tmp);
    options.setMappingsDir(null);
    MigrateSettings settings = MigrateSettings.from(options, new Secrets(Map.of()));
    assertEquals(Path.of("ferry-mappings", "shop"), settings.mappingsDir("shop"));
    assertEquals(List.of("ferry"), settings.stateSchema);
    assertTrue(settings.mappingOptions.onUpdateTriggers());
    options.setOnUpdateTriggers(false);
    assertTrue(!MigrateSettings.from(options, new Secrets(Map.of())).mappingOptions
        .onUpdateTriggers());
  }

  private static int reconcile(TestDatabase src, TestDatabase dst, Path mappingFile,
      String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("reconcile",
        "--sourceUrl=" + src.jdbcUrl(), "--sourceUser=" + src.user(),
        "--targetUrl=" + dst.jdbcUrl(), "--targetUser=" + dst.user(),
        "--mappingFile=" + mappingFile));
    args.addAll(List.of(more));
    return Ferry.run(args.toArray(new String[0]));
  }

  private static List<String> names(TestDatabase db, String sql) {
    return db.query(sql).stream().map(r -> (String) r.get(0)).collect(Collectors.toList());
  }

  private static void seed(TestDatabase src) {
    src.execute("SET SESSION time_zone = '+00:00'",
        "CREATE TABLE languages (code CHAR(3) NOT NULL PRIMARY KEY, name CHAR(20) NOT NULL,"
            + " last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"
            + " ON UPDATE CURRENT_TIMESTAMP)",
        "INSERT INTO languages (code, name, last_update) VALUES"
            + " ('en', 'English', '2024-01-01 10:00:00'), ('de', 'German', '2024-01-01 10:00:00'),"
            + " ('fr', 'French', '2024-01-01 10:00:00')",
        "CREATE TABLE films (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " title VARCHAR(100) NOT NULL, lang CHAR(3) NOT NULL,"
            + " rating ENUM('G','PG','PG-13','R') DEFAULT 'G',"
            + " features SET('Trailers','Commentaries','Deleted Scenes') NULL,"
            + " last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"
            + " ON UPDATE CURRENT_TIMESTAMP,"
            + " CONSTRAINT films_lang FOREIGN KEY (lang) REFERENCES languages (code))",
        "INSERT INTO films (id, title, lang, rating, features, last_update)"
            + " SELECT seq, CONCAT('film ', seq), ELT(1 + seq % 3, 'de', 'en', 'fr'),"
            + " ELT(1 + seq % 4, 'G', 'PG', 'PG-13', 'R'),"
            + " ELT(1 + seq % 4, NULL, '', 'Trailers', 'Trailers,Deleted Scenes'),"
            + " TIMESTAMP('2024-06-01 12:00:00') + INTERVAL seq MINUTE FROM seq_1_to_300",
        "CREATE TABLE film_stock (store CHAR(4) NOT NULL, film_id INT NOT NULL,"
            + " copies INT NOT NULL, PRIMARY KEY (store, film_id),"
            + " CONSTRAINT stock_film FOREIGN KEY (film_id) REFERENCES films (id))",
        "INSERT INTO film_stock SELECT ELT(1 + seq % 2, 'a1', 'b'), seq, seq % 5"
            + " FROM seq_1_to_200",
        "CREATE VIEW film_list AS SELECT f.id, f.title, l.name AS language"
            + " FROM films f JOIN languages l ON l.code = f.lang",
        "CREATE VIEW film_months AS SELECT id, DATE_FORMAT(last_update, '%Y-%m') AS month"
            + " FROM films",
        "CREATE TRIGGER films_trim BEFORE INSERT ON films FOR EACH ROW"
            + " SET NEW.title = TRIM(NEW.title)",
        "CREATE PROCEDURE add_copy(IN s CHAR(4), IN f INT) BEGIN"
            + " UPDATE film_stock SET copies = copies + 1 WHERE store = s AND film_id = f; END",
        "CREATE FUNCTION copies_of(f INT) RETURNS INT READS SQL DATA"
            + " RETURN (SELECT SUM(copies) FROM film_stock WHERE film_id = f)");
  }
}
