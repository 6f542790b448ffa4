package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every invalid spec fails before any pipeline starts, naming the file, the field and why. */
class InvalidSpecTest {
  private static TestDatabase src;
  private static TestDatabase dst;
  @TempDir Path tmp;

  @BeforeAll
  static void databases() {
    src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE orders (id int PRIMARY KEY, v text)", "CREATE TABLE keep (id int)",
        "CREATE TABLE nokey (id int)");
    dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE orders (id int PRIMARY KEY, v text)",
        "CREATE TABLE loose (id int, v text)");
  }

  private String spec(String body) {
    return String.join("\n",
        "job: j",
        "source:",
        "  url: " + src.jdbcUrl(),
        "  user: postgres",
        "  password: ${env:SRC_PW}",
        "  table: orders",
        "target:",
        "  url: " + dst.jdbcUrl(),
        "  user: postgres",
        body);
  }

  private RunSummary runSpec(String yaml, String... flags) throws Exception {
    Path file = Files.writeString(tmp.resolve("job.yaml"), yaml);
    String[] args = new String[flags.length + 1];
    args[0] = "--spec=" + file;
    System.arraycopy(flags, 0, args, 1, flags.length);
    return Backfills.run(Map.of("SRC_PW", "s3cret-value"), args);
  }

  private void assertInvalid(RunSummary s, String... fragments) {
    assertEquals(ExitCodes.INVALID, s.exitCode, s.error);
    for (String f : fragments) {
      assertTrue(s.error.contains(f), "'" + f + "' not in: " + s.error);
    }
    assertTrue(!s.error.contains("s3cret-value"), "the password leaked: " + s.error);
  }

  @Test
  void validSpecRuns() throws Exception {
    assertEquals(0, runSpec(spec("")).exitCode);
  }

  @Test
  void missingJob() throws Exception {
    assertInvalid(runSpec(spec("").replace("job: j\n", "")), "job.yaml: job: required");
  }

  @Test
  void literalPasswordIsRefused() throws Exception {
    assertInvalid(runSpec(spec("  password: hunter2")), "job.yaml: target.password: write"
        + " ${env:NAME} or ${file:PATH}");
  }

  @Test
  void unknownFieldNamesItsPath() throws Exception {
    assertInvalid(runSpec(spec("  tabel: orders")), "job.yaml: target.tabel: unknown field 'tabel'");
  }

  @Test
  void missingEnvironmentVariable() throws Exception {
    assertInvalid(runSpec(spec("  password: ${env:NOPE_NOT_SET}")),
        "target.password: environment variable NOPE_NOT_SET is not set");
  }

  @Test
  void badNumbersAndEnums() throws Exception {
    assertInvalid(runSpec(spec("batchSize: 0")), "job.yaml: batchSize: must be at least 1");
    assertInvalid(runSpec(spec("partitions: many")), "job.yaml: partitions:");
    assertInvalid(runSpec(spec("").replace("  table: orders", "  table: orders\n"
        + "  zeroDates: maybe")), "source.zeroDates: must be reject or null");
  }

  @Test
  void tableAndQueryTogether() throws Exception {
    assertInvalid(runSpec(spec("").replace("  table: orders", "  table: orders\n"
        + "  query: SELECT 1")), "job.yaml: source: give either table or query");
  }

  @Test
  void unknownKeyColumnAndMissingPrimaryKey() throws Exception {
    assertInvalid(runSpec(spec(""), "--sourceKey=nope"), "source.key: no column 'nope' in"
        + " orders");
    assertInvalid(runSpec(spec(""), "--sourceTable=nokey", "--targetTable=orders"),
        "source.key: table nokey has no primary key");
  }

  @Test
  void mappingErrorsNameTheRule() throws Exception {
    assertInvalid(runSpec(spec("mapping:\n  columns:\n    - {name: v, from: missing}")),
        "job.yaml: mapping: mapping of column 'v'", "missing");
    assertInvalid(runSpec(spec("mapping:\n  columns:\n    - {name: extra, constant: 1}")),
        "target.table: target table orders has no column(s) [extra]");
    assertInvalid(runSpec(spec("mapping:\n  file: nowhere.yaml")),
        "mapping.file: no such file: nowhere.yaml");
  }

  @Test
  void targetWithoutUniqueKeyIsRefused() throws Exception {
    assertInvalid(runSpec(spec(""), "--targetTable=loose"), "target.key: target table loose has"
        + " no primary key or unique constraint on exactly [id]");
  }

  @Test
  void hostileTableNamesAreQuotedNeverExecuted() throws Exception {
    assertInvalid(runSpec(spec(""), "--sourceTable=orders\"; DROP TABLE keep; --",
        "--targetTable=orders"), "source.table: unbalanced quote");
    // Well-formed quoting: the whole text is one (non-existent) table name.
    assertInvalid(runSpec(spec(""), "--sourceTable=\"orders\"\"; DROP TABLE keep; --\"",
        "--targetTable=orders"), "source.table: cannot be read",
        "relation \"orders\"; DROP TABLE keep; --\" does not exist");
    assertEquals(0L, src.count("keep"), "the DROP inside the name never ran");
    assertInvalid(runSpec(spec(""), "--sourceTable=orders\u0000x"), "NUL");
  }

  @Test
  void unreachableDatabaseIsAFailureNotACrash() throws Exception {
    RunSummary s = runSpec(spec("  password: ${env:SRC_PW}").replace(dst.jdbcUrl(),
        "jdbc:postgresql://127.0.0.1:1/nowhere"));
    assertEquals(ExitCodes.FAILED, s.exitCode);
    assertTrue(s.error.contains("cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere"),
        s.error);
    assertTrue(!s.error.contains("s3cret-value"), s.error);
  }

  /** A literal password in a URL is refused, in every form the drivers accept. */
  @Test
  void passwordInTheUrlIsRefused() throws Exception {
    for (String url : List.of("jdbc:postgresql://127.0.0.1:1/x?password=s3cret-value",
        "jdbc:postgresql://127.0.0.1:1/x?user=u&password=s3cret-value",
        "jdbc:postgresql://127.0.0.1:1/x?sslpassword=s3cret-value",
        "jdbc:mysql://root:s3cret-value@127.0.0.1:3306/x",
        "jdbc:mysql://127.0.0.1:3306,root:s3cret-value@127.0.0.2:3306/x",
        "jdbc:mysql://(host=127.0.0.1,port=3306,user=root,password=s3cret-value)/x",
        "jdbc:mysql://127.0.0.1:3306/x?PASSWORD2=s3cret-value",
        "mongodb://root:s3cret-value@127.0.0.1:27017/x")) {
      assertInvalid(runSpec(spec("").replace(dst.jdbcUrl(), url)), "job.yaml: target.url:"
          + " holds a password; remove it from the URL");
      assertInvalid(runSpec(spec(""), "--sourceUrl=" + url), "job.yaml: source.url: holds a"
          + " password");
    }
    // A user without a password, IPv6 hosts and ports are not passwords; a secret reference in
    // the URL is allowed like one in the password field.
    for (String url : List.of("jdbc:mysql://root@[::1]:1/x?passwordCharacterEncoding=utf8",
        "jdbc:postgresql://127.0.0.1:1/x?password=${env:SRC_PW}",
        "jdbc:mysql://root:${env:SRC_PW}@127.0.0.1:1/x")) {
      RunSummary s = runSpec(spec("").replace(dst.jdbcUrl(), url));
      assertEquals(ExitCodes.FAILED, s.exitCode, s.error);
      assertTrue(!s.error.contains("s3cret-value"), s.error);
    }
  }
}
