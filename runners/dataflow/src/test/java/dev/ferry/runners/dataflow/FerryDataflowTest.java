package dev.ferry.runners.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ferry-dataflow.jar's entry point, offline: what it refuses, and the verdict it leaves. */
class FerryDataflowTest {
  private static final List<String> DATAFLOW = List.of("--project=ferry-demo-123",
      "--region=europe-west1", "--tempLocation=gs://ferry-demo-bucket/tmp");

  @TempDir Path dir;

  /** A machine without Google Cloud credentials anywhere. */
  private CredentialsPreflight noCredentials() {
    return new CredentialsPreflight(Map.of(), dir.resolve("home"), dir.resolve("no-dmi"));
  }

  /** A new PostgreSQL database with a table items holding ids 1 to {@code rows}. */
  private static TestDatabase items(int rows) {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("create table items(id bigint primary key, name text)",
        "insert into items select g, 'item ' || g from generate_series(1, " + rows + ") g");
    return db;
  }

  /** Runs the launcher; returns its exit code and what it printed to standard error. */
  private Object[] launch(List<String> args) {
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      int code = FerryDataflow.run(args.toArray(new String[0]), noCredentials());
      return new Object[] {code, printed.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void aJobMustBeNamed() {
    List<String> args = new ArrayList<>(List.of("--spec=orders.yaml"));
    args.addAll(DATAFLOW);
    Object[] run = launch(args);
    assertEquals(2, run[0]);
    assertTrue(((String) run[1]).contains("which job? Give it as the first word (backfill,"
        + " reconcile, profile, dryrun) or as --command=<job>; nothing was started"),
        (String) run[1]);
  }

  @Test
  void twoDifferentJobsAreRefused() {
    Object[] run = launch(List.of("backfill", "--command=reconcile", "--spec=orders.yaml"));
    assertEquals(2, run[0]);
    assertTrue(((String) run[1]).contains("two jobs given, 'backfill' and --command=reconcile"),
        (String) run[1]);
  }

  @Test
  void withoutCredentialsNothingIsWrittenToTheTarget() throws Exception {
    TestDatabase source = items(100);
    TestDatabase target = items(0);
    // the URLs in a spec, where the preflight does not look: only the credentials are missing
    Path spec = Files.writeString(dir.resolve("items.yaml"), String.join("\n",
        "job: items", "source:", "  url: " + source.jdbcUrl(), "  user: " + source.user(),
        "  table: items", "target:", "  url: " + target.jdbcUrl(), "  user: " + target.user(),
        "  table: items", ""));
    List<String> args = new ArrayList<>(List.of("--command=backfill", "--spec=" + spec));
    args.addAll(DATAFLOW);
    long start = System.nanoTime();
    Object[] run = launch(args);
    System.out.printf("no credentials: exit %s after %.2f s%n", run[0],
        (System.nanoTime() - start) / 1e9);
    assertEquals(2, run[0]);
    String printed = (String) run[1];
    assertTrue(printed.contains("ferry backfill: the Dataflow job cannot work (1 problem;"
        + " nothing was started)"), printed);
    assertTrue(printed.contains("set GOOGLE_APPLICATION_CREDENTIALS to a service account key"
        + " file, or run `gcloud auth application-default login`"), printed);
    assertEquals(0L, target.scalar("select count(*) from information_schema.schemata"
        + " where schema_name = 'ferry'"), "no plan, no progress table in the target");
    assertEquals(0L, target.count("items"));
  }

  @Test
  void aReconcileWithDifferencesLeavesExitCode4InItsVerdict() throws Exception {
    TestDatabase source = items(200);
    TestDatabase target = items(199);
    Path verdict = dir.resolve("task/verdict.json");
    Path report = dir.resolve("reports/items-reconcile.json");
    PrintStream out = System.out;
    int code = FerryDataflow.run(new String[] {"--runner=DirectRunner", "--command=reconcile",
        "--job=items", "--sourceUrl=" + source.jdbcUrl(), "--sourceUser=" + source.user(),
        "--sourceTable=items", "--targetUrl=" + target.jdbcUrl(),
        "--targetUser=" + target.user(), "--report=" + report, "--verdictFile=" + verdict},
        noCredentials());
    assertEquals(out, System.out, "the console is back");
    assertEquals(4, code);
    JsonNode v = new ObjectMapper().readTree(verdict.toFile());
    assertEquals("finished", v.get("state").asText());
    assertEquals(4, v.get("exitCode").asInt());
    assertEquals("reconcile", v.get("command").asText());
    assertEquals(ProcessHandle.current().pid(), v.get("pid").asLong());
    assertEquals(4, new ObjectMapper().readTree(report.toFile()).get("exitCode").asInt());
    String log = Files.readString(dir.resolve("task/verdict.json.log"));
    assertTrue(log.contains("ferry reconcile items"), "the launcher's console: " + log);
  }
}
