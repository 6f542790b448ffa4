package dev.ferry.pipelines.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.pipelines.cli.Ferry;
import dev.ferry.testing.EmbeddedMongo;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MongoDB URLs carry credentials: a password given as a secret reference, in the URL's user
 * info or as the user's password, appears in no output of a failing run (the in-process server
 * refuses to authenticate anyone).
 */
class MongoSecretsNeverLeakTest {
  private static final String PASSWORD = "Mongo-Pw-5be1d0c3-never-print-me";
  @TempDir Path tmp;

  @Test
  void endpointNeverShowsThePassword() {
    MongoEndpoint e = new MongoEndpoint("mongodb://ferry:" + PASSWORD + "@127.0.0.1:1/shop",
        "ferry", PASSWORD);
    assertFalse(e.toString().contains(PASSWORD), e.toString());
    assertEquals("auth failed for ***", e.redact("auth failed for " + PASSWORD));
  }

  @Test
  void passwordAppearsInNoOutputOfAFailingRun() throws Exception {
    String source = EmbeddedMongo.newDatabaseUrl();
    String target = EmbeddedMongo.newDatabaseUrl().replace("mongodb://",
        "mongodb://ferry:${env:PW}@");
    Path spec = Files.writeString(tmp.resolve("job.yaml"), String.join("\n",
        "job: mongo-secrets",
        "source: {url: '" + source + "', user: ferry, password: '${env:PW}', collection: c}",
        "target: {url: '" + target + "', collection: c}",
        "summaryFile: " + tmp.resolve("summary.json")));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Ferry.class.getName(), "backfill",
        "--spec=" + spec));
    File out = tmp.resolve("console.log").toFile();
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out);
    pb.environment().put("PW", PASSWORD);
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    String console = Files.readString(out.toPath());
    assertEquals(1, p.exitValue(), console);
    assertTrue(console.contains("FAILED"), console);
    for (Path f : List.of(out.toPath(), tmp.resolve("summary.json"))) {
      assertFalse(Files.readString(f).contains(PASSWORD), f + " holds the password");
    }
  }
}
