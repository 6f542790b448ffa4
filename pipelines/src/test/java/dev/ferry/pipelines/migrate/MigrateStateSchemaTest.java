package dev.ferry.pipelines.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ferry's state never shares a schema with the application's tables unless asked to. */
class MigrateStateSchemaTest {
  @TempDir Path tmp;

  @Test
  void aUserNamedFerryMustNameTheTargetSchema() throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))",
        "INSERT INTO items VALUES (1, 'a'), (2, 'b')");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    // PostgreSQL's default search_path begins with "$user": for a user called ferry, ferry's
    // state schema comes first once it exists.
    dst.execute("DO $$ BEGIN CREATE ROLE ferry LOGIN; EXCEPTION WHEN duplicate_object THEN"
            + " NULL; END $$",
        "GRANT CREATE ON DATABASE " + dst.name() + " TO ferry",
        "GRANT CREATE, USAGE ON SCHEMA public TO ferry");
    String schemas = "SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'";

    MigrationSummary refused = asFerry(src, dst, "first");
    assertEquals(ExitCodes.INVALID, refused.exitCode, refused.toConsole());
    assertTrue(refused.error.contains("targetSchema") && refused.error.contains(
        "--targetSchema=public"), refused.error);
    assertEquals(0L, dst.scalar(schemas), "nothing created");

    MigrationSummary migrated = asFerry(src, dst, "second", "--targetSchema=public");
    assertEquals(ExitCodes.OK, migrated.exitCode, migrated.toConsole());
    assertEquals(2L, dst.scalar("SELECT count(*) FROM public.items"));
    assertEquals(List.of(List.of("ferry_dead_letter"), List.of("ferry_migration"),
        List.of("ferry_progress"), List.of("ferry_runs")), dst.query("SELECT table_name FROM"
            + " information_schema.tables WHERE table_schema = 'ferry' ORDER BY 1"));
  }

  private MigrationSummary asFerry(TestDatabase src, TestDatabase dst, String run,
      String... more) {
    List<String> args = new ArrayList<>(List.of("--targetUrl="
        + dst.jdbcUrl().replace("user=postgres", "user=ferry"), "--targetUser=ferry"));
    args.addAll(List.of(more));
    return MigrateCommand.run(Migrations.options(src, null, tmp.resolve(run),
        args.toArray(new String[0])), new Secrets(Map.of()));
  }
}
