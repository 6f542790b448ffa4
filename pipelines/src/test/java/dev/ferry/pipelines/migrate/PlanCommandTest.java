package dev.ferry.pipelines.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.cli.Ferry;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry plan}: the tables in load order with counts and DDL, the mapping files it writes
 * and keeps, and the problems that stop a migration before anything is created.
 */
class PlanCommandTest {
  @TempDir Path tmp;

  @Test
  void planShowsOrderDdlAndWritesMappingsItNeverOverwritesWhenEdited() throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE parent (id INT PRIMARY KEY, at DATETIME)",
        "CREATE TABLE child (id INT PRIMARY KEY, parent_id INT,"
            + " FOREIGN KEY (parent_id) REFERENCES parent (id))",
        "CREATE TABLE nokey (v INT)",
        "INSERT INTO parent VALUES (1, '2024-01-01 10:00:00'), (2, NULL)",
        "INSERT INTO child VALUES (1, 1), (2, 1), (3, 2)");
    Path mappings = tmp.resolve("maps");

    MigrationSummary refused = Migrations.plan(src, mappings);
    assertEquals(ExitCodes.INVALID, refused.exitCode);
    assertEquals(1, refused.problems.size(), refused.problems.toString());
    assertTrue(refused.problems.get(0).startsWith("table 'nokey': has no primary key"));

    MigrationPlan plan = Migrations.makePlan(src, mappings, "--exclude=nokey");
    assertEquals(List.of("parent", "child"),
        plan.tables.stream().map(TableTask::sourceTable).toList());
    assertEquals("2", plan.tables.get(0).rows().toString());
    assertEquals("3", plan.tables.get(1).rows().toString());
    String text = plan.toConsole();
    assertTrue(text.contains("CREATE TABLE \"parent\" (\n  \"id\" integer NOT NULL,\n"
        + "  \"at\" timestamp(0),"), text);
    assertTrue(text.contains("ALTER TABLE \"child\" ADD CONSTRAINT"), text);
    assertTrue(text.contains("-- warnings (0)"), text);
    assertEquals(MappingFiles.Outcome.UNCHANGED, plan.mappingOutcomes.get("parent"));

    // A file the user edited is kept; an unedited one follows the new options.
    Path child = mappings.resolve("child.yaml");
    Files.writeString(child, "columns: []\n", StandardCharsets.UTF_8);
    plan = Migrations.makePlan(src, mappings, "--exclude=nokey", "--datetimeAs=timestamptz",
        "--sourceZone=Europe/Paris");
    assertEquals(MappingFiles.Outcome.UPDATED, plan.mappingOutcomes.get("parent"));
    assertEquals(MappingFiles.Outcome.KEPT_EDITED, plan.mappingOutcomes.get("child"));
    assertTrue(Files.readString(mappings.resolve("parent.yaml"))
        .contains("- {name: \"at\", fromZone: \"Europe/Paris\"}"));
    assertEquals("columns: []\n", Files.readString(child));
    plan = Migrations.makePlan(src, mappings, "--exclude=nokey", "--overwrite");
    assertEquals(MappingFiles.Outcome.OVERWRITTEN, plan.mappingOutcomes.get("child"));
    assertTrue(MappingFiles.isUnedited(Files.readString(child)));
  }

  @Test
  void aBrokenMappingStopsTheMigrationBeforeAnythingIsCreated() throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))",
        "INSERT INTO items VALUES (1, 'a')");
    Path mappings = Files.createDirectories(tmp.resolve("maps"));
    Files.writeString(mappings.resolve("items.yaml"),
        "columns:\n  - {name: title, from: name}\n", StandardCharsets.UTF_8);
    TestDatabase dst = EmbeddedDatabases.newPostgres();

    MigrationSummary summary = Migrations.migrate(src, dst, mappings);
    assertEquals(ExitCodes.INVALID, summary.exitCode);
    assertEquals(1, summary.problems.size());
    assertTrue(summary.problems.get(0).contains("table 'items': mapping file "
        + mappings.resolve("items.yaml") + ": produces column 'title', which the target table"
        + " does not have"), summary.problems.get(0));
    assertEquals(0L, dst.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
  }

  @Test
  void planThroughTheCommandLine() {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE t (id INT PRIMARY KEY)");
    assertEquals(0, Ferry.run(new String[] {"plan", "--sourceUrl=" + src.jdbcUrl(),
        "--sourceUser=" + src.user(), "--mappingsDir=" + tmp}));
    assertTrue(Files.exists(tmp.resolve("t.yaml")));
    assertEquals(2, Ferry.run(new String[] {"migrate", "--sourceUrl=" + src.jdbcUrl(),
        "--sourceUser=" + src.user(), "--mappingsDir=" + tmp}), "migrate needs a target");
  }

  @Test
  void invalidFlagsNameTheFlag() {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    MigrationSummary summary = Migrations.plan(src, tmp, "--datetimeAs=instant");
    assertEquals(ExitCodes.INVALID, summary.exitCode);
    assertEquals("flags: datetimeAs: must be timestamp or timestamptz, not 'instant'",
        summary.error);
    summary = Migrations.plan(src, tmp, "--naming=camel");
    assertEquals("flags: naming: must be lower, snake or preserve, not 'camel'", summary.error);
    summary = Migrations.plan(src, tmp, "--tables=nope");
    assertEquals(ExitCodes.INVALID, summary.exitCode);
    assertTrue(summary.error.contains("has no table(s) [nope]"), summary.error);
    assertFalse(Files.exists(tmp.resolve("nope.yaml")));
  }
}
