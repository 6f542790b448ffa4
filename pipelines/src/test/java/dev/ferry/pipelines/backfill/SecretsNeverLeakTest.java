package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.cli.Ferry;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the ferry command in a child JVM with a password from the environment, fails it on
 * purpose, and greps everything it wrote — console, summary JSON, dead letters — for the
 * password.
 */
class SecretsNeverLeakTest {
  private static final String PASSWORD = "Pw-9f3c2e71-never-print-me";
  @TempDir Path tmp;

  @Test
  void passwordAppearsInNoOutput() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE t (id int PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, CASE WHEN g = 7 THEN repeat('x', 50) ELSE 'ok' END"
            + " FROM generate_series(1, 100) g");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE t (id int PRIMARY KEY, v varchar(10))");
    // The embedded server trusts local connections, so any password logs in; ferry still has
    // to carry it everywhere a real one would go.
    Path spec = Files.writeString(tmp.resolve("job.yaml"), String.join("\n",
        "job: secrets",
        "source: {url: '" + src.jdbcUrl() + "', user: postgres, password: '${env:PW}',"
            + " table: t}",
        "target: {url: '" + dst.jdbcUrl() + "', user: postgres, password: '${env:PW}'}",
        "deadLetterFile: " + tmp.resolve("dead.jsonl"),
        "summaryFile: " + tmp.resolve("summary.json")));
    String ok = run(List.of("backfill", "--spec=" + spec), 3);
    assertTrue(ok.contains("1 dead-lettered"), ok);
    // A failing run: the target cannot be reached with the password.
    String failing = run(List.of("backfill", "--spec=" + spec, "--job=secrets2",
        "--targetUrl=jdbc:postgresql://127.0.0.1:1/x"), 1);
    assertTrue(failing.contains("cannot connect to jdbc:postgresql://127.0.0.1:1/x"), failing);
    // A refused run: the password written into the URL.
    String refused = run(List.of("backfill", "--spec=" + spec, "--job=secrets3",
        "--targetUrl=jdbc:postgresql://127.0.0.1:1/x?password=" + PASSWORD), 2);
    assertTrue(refused.contains("target.url: holds a password"), refused);

    List<String> leaks = new ArrayList<>();
    for (String output : List.of(ok, failing, refused)) {
      if (output.contains(PASSWORD)) {
        leaks.add("console");
      }
    }
    try (Stream<Path> files = Files.walk(tmp)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (!f.getFileName().toString().equals("job.yaml")
            && Files.readString(f).contains(PASSWORD)) {
          leaks.add(f.toString());
        }
      }
    }
    assertEquals(List.of(), leaks);
    assertFalse(dst.query("SELECT * FROM ferry_dead_letter").toString().contains(PASSWORD));
    assertFalse(dst.query("SELECT * FROM ferry_runs").toString().contains(PASSWORD));
  }

  private String run(List<String> args, int expectedExit) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Ferry.class.getName()));
    command.addAll(args);
    File out = File.createTempFile("ferry", ".log", tmp.toFile());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out);
    pb.environment().put("PW", PASSWORD);
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    String text = Files.readString(out.toPath());
    assertEquals(expectedExit, p.exitValue(), text);
    return text;
  }
}
