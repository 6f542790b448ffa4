package dev.ferry.pipelines.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ferry's state never shares a schema with the application's tables. */
class MigrateStateSchemaTest {
  @TempDir Path tmp;

  @Test
  void aStateSchemaNamedLikeTheUserNeedsATargetSchema() throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))",
        "INSERT INTO items VALUES (1, 'a'), (2, 'b')");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    // PostgreSQL's default search_path begins with "$user": a state schema named like the
    // user (as a user called ferry has by default) comes first once it exists.
    String state = dst.user();
    String schemas = "SELECT count(*) FROM pg_namespace WHERE nspname = '" + state + "'";

    MigrationSummary refused = Migrations.migrate(src, dst, tmp.resolve("first"),
        "--stateSchema=" + state);
    assertEquals(ExitCodes.INVALID, refused.exitCode, refused.toConsole());
    assertTrue(refused.error.contains("targetSchema") && refused.error.contains(
        "--targetSchema=public"), refused.error);
    assertEquals(0L, dst.scalar(schemas), "nothing created");

    MigrationSummary migrated = Migrations.migrate(src, dst, tmp.resolve("second"),
        "--stateSchema=" + state, "--targetSchema=public");
    assertEquals(ExitCodes.OK, migrated.exitCode, migrated.toConsole());
    assertEquals(2L, dst.scalar("SELECT count(*) FROM public.items"));
    assertEquals(List.of(List.of("ferry_dead_letter"), List.of("ferry_migration"),
        List.of("ferry_progress"), List.of("ferry_runs")), dst.query("SELECT table_name FROM"
            + " information_schema.tables WHERE table_schema = '" + state + "' ORDER BY 1"));
  }
}
