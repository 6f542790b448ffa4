package dev.ferry.pipelines.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.profile.Finding;
import dev.ferry.profile.FindingKind;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilePipelineTest {
  @TempDir Path dir;

  private static ProfileReport profile(String... args) {
    ProfileOptions options = PipelineOptionsFactory.fromArgs(args).as(ProfileOptions.class);
    return ProfilePipeline.run(options, new Secrets(Map.of("SRC_PW", "s3cret-pw")));
  }

  private static List<String> args(TestDatabase src, String... more) {
    List<String> args = new ArrayList<>(List.of("--job=profile-test",
        "--sourceUrl=" + src.jdbcUrl(), "--sourceUser=" + src.user(), "--partitions=4"));
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void reportsSizeGrowthColumnsFindingsAndFitWithoutFailing() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE accounts (id int, email varchar(100), signed_up timestamptz,"
            + " balance numeric(12,2))",
        "INSERT INTO accounts SELECT g, CASE WHEN g % 4 = 0 THEN NULL"
            + " WHEN g % 50 = 1 THEN 'josÃ©' || g || '@example.com'"
            + " ELSE 'user' || g || '@example.com' END,"
            + " now() - (g % 200) * interval '1 day' - interval '1 hour', g * 10.25"
            + " FROM generate_series(1, 2000) g",
        "INSERT INTO accounts SELECT * FROM accounts WHERE id IN (5, 6)");
    dst.execute("CREATE TABLE accounts (id int PRIMARY KEY, email varchar(18),"
        + " signed_up timestamptz, balance numeric(12,2))");
    Path json = dir.resolve("profile.json");
    List<String> args = args(src, "--sourceTable=accounts", "--sourceKey=id",
        "--createdAtColumn=signed_up", "--targetUrl=" + dst.jdbcUrl(),
        "--targetUser=" + dst.user(), "--report=" + json, "--exampleKeys=2");
    ProfileReport report = profile(args.toArray(new String[0]));

    assertEquals(0, report.exitCode, report.error);
    assertEquals("succeeded", report.status);
    assertEquals(2002, report.profile.rowsRead);
    assertEquals(((Number) src.scalar("SELECT pg_total_relation_size('accounts')")).longValue(),
        report.tableBytes);
    assertEquals("signed_up", report.growth.column);
    assertEquals(count(src, "signed_up >= now() - interval '30 days'"),
        report.growth.rowsLast30Days);
    assertEquals(count(src, "signed_up >= now() - interval '90 days'"),
        report.growth.rowsLast90Days);
    assertEquals(report.growth.rowsLast30Days / 30.0, report.growth.rowsPerDay30, 1e-9);
    assertEquals(count(src, "email IS NULL"), report.profile.column("email").nulls);
    assertEquals(0.25, report.profile.column("email").nullRate, 0.001);
    assertEquals("character varying(100)", report.profile.column("email").type, "as declared");
    assertEquals("numeric(12,2)", report.profile.column("balance").type);
    assertTrue(report.profile.column("id").distinctEstimated, "duplicated ids: an estimate");
    Finding duplicates = report.profile.finding(FindingKind.DUPLICATE_KEY, null);
    assertEquals(2, duplicates.count);
    assertEquals(4, duplicates.rows);
    assertEquals(count(src, "email LIKE 'josÃ©%'"),
        report.profile.finding(FindingKind.MOJIBAKE, "email").count);
    assertEquals(count(src, "char_length(email) > 18"),
        report.profile.finding(FindingKind.WILL_NOT_FIT, "email").count);
    assertNull(report.profile.finding(FindingKind.ZONELESS_TIMESTAMP, "signed_up"));
    assertTrue(report.target.startsWith("accounts at jdbc:postgresql:"));

    JsonNode written = new ObjectMapper().readTree(json.toFile());
    assertEquals(2002, written.at("/profile/rowsRead").asLong());
    assertEquals("DUPLICATE_KEY", written.at("/profile/findings/0/kind").asText());
    assertEquals("{\"id\":5}", written.at("/profile/findings/0/examples/0/key").asText());
    assertEquals(report.tableBytes.longValue(), written.at("/tableBytes").asLong());
    String console = report.toConsole();
    assertTrue(console.contains("DUPLICATE_KEY"), console);
    assertTrue(console.contains("2 values in 4 rows"), console);
  }

  @Test
  void profilesWithoutATargetOrBeforeTheTargetTableExists() {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamp)",
        "INSERT INTO events SELECT g, now() - interval '1 hour' FROM generate_series(1, 50) g");
    ProfileReport alone = profile(args(src, "--sourceTable=events").toArray(new String[0]));
    assertEquals(0, alone.exitCode, alone.error);
    assertNull(alone.target);
    assertEquals("created_at", alone.growth.column, "detected by name");
    assertEquals(50, alone.growth.rowsLast30Days);
    assertEquals(50, alone.profile.finding(FindingKind.ZONELESS_TIMESTAMP, "created_at").count);
    assertTrue(alone.notes.toString().contains("no target named"), alone.notes.toString());
    assertTrue(alone.notes.contains("read: by COPY"), alone.notes.toString());
    ProfileReport byJdbc = profile(args(src, "--sourceTable=events", "--readByJdbc")
        .toArray(new String[0]));
    assertTrue(byJdbc.notes.contains("read: through JDBC (COPY not used: --readByJdbc)"),
        byJdbc.notes.toString());
    ObjectMapper json = new ObjectMapper();
    assertEquals(json.valueToTree(alone.profile), json.valueToTree(byJdbc.profile));

    TestDatabase dst = EmbeddedDatabases.newPostgres();
    ProfileReport early = profile(args(src, "--sourceTable=events",
        "--targetUrl=" + dst.jdbcUrl(), "--targetUser=" + dst.user()).toArray(new String[0]));
    assertEquals(0, early.exitCode, early.error);
    assertTrue(early.notes.toString().contains("does not exist"), early.notes.toString());
  }

  @Test
  void duplicateKeysAreSearchedUnlessAConstraintWithinTheKeyRulesThemOut() {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE keyed (id int PRIMARY KEY, v int)",
        "INSERT INTO keyed SELECT g, g FROM generate_series(1, 500) g",
        "CREATE TABLE versions (id int, version int)",
        "CREATE UNIQUE INDEX versions_id_version ON versions (id, version)",
        "INSERT INTO versions SELECT g, 1 FROM generate_series(1, 500) g",
        "INSERT INTO versions VALUES (7, 2), (9, 2), (9, 3)");
    ProfileReport keyed = profile(args(src, "--sourceTable=keyed").toArray(new String[0]));
    assertEquals(0, keyed.exitCode, keyed.error);
    assertTrue(keyed.notes.toString().contains("keyed_pkey keeps the key unique"),
        keyed.notes.toString());
    assertNull(keyed.profile.finding(FindingKind.DUPLICATE_KEY, null));
    assertEquals(500, keyed.profile.column("id").distinct, "a unique key: exact");
    assertFalse(keyed.profile.column("id").distinctEstimated);
    assertTrue(keyed.notes.contains("read: by COPY"), keyed.notes.toString());

    ProfileReport versions = profile(args(src, "--sourceTable=versions", "--sourceKey=id")
        .toArray(new String[0]));
    assertEquals(0, versions.exitCode, versions.error);
    assertFalse(versions.notes.toString().contains("keeps the key unique"),
        "a unique (id, version) allows equal ids");
    assertTrue(versions.notes.contains(
        "read: through JDBC (COPY not used: the key is not proven unique)"),
        versions.notes.toString());
    Finding duplicates = versions.profile.finding(FindingKind.DUPLICATE_KEY, null);
    assertEquals(2, duplicates.count);
    assertEquals(5, duplicates.rows);
  }

  /**
   * MariaDB describes an ENUM as CHAR and TINYINT(1) as BIT to the driver: the profile shows the
   * types as the table declares them, and never more distinct values than values.
   */
  @Test
  void typesAsDeclaredAndNoMoreDistinctValuesThanValues() {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE orders (id int PRIMARY KEY, status enum('new','paid','sent'),"
        + " paid tinyint(1), placed datetime, note text, total decimal(10,2))",
        "INSERT INTO orders SELECT seq, elt(1 + seq % 3, 'new', 'paid', 'sent'), seq % 2,"
        + " '2024-01-01' + interval seq minute, concat('note ', seq), seq / 100"
        + " FROM seq_1_to_50000");
    ProfileReport report = profile(args(src, "--sourceTable=orders").toArray(new String[0]));
    assertEquals(0, report.exitCode, report.error);
    assertEquals("enum('new','paid','sent')", report.profile.column("status").type);
    assertEquals("tinyint(1)", report.profile.column("paid").type);
    assertEquals("datetime", report.profile.column("placed").type);
    assertEquals("text", report.profile.column("note").type);
    assertEquals(50_000, report.profile.column("id").distinct);
    assertFalse(report.profile.column("id").distinctEstimated);
    for (String column : List.of("placed", "note", "total")) {
      assertTrue(report.profile.column(column).distinct <= 50_000,
          column + ": " + report.profile.column(column).distinct);
      assertTrue(report.profile.column(column).distinctEstimated);
    }
    assertTrue(report.toConsole().contains("~"), "estimates are marked");
  }

  @Test
  void errorsFailButNeverShowThePassword() {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE t (id int PRIMARY KEY, note text)");
    ProfileReport badColumn = profile(args(src, "--sourceTable=t", "--createdAtColumn=note")
        .toArray(new String[0]));
    assertEquals(ExitCodes.INVALID, badColumn.exitCode);
    assertTrue(badColumn.error.contains("createdAtColumn"), badColumn.error);

    ProfileReport unreachable = profile("--job=p", "--sourceUrl=jdbc:postgresql://127.0.0.1:1/x",
        "--sourceUser=u", "--sourcePasswordEnv=SRC_PW", "--sourceTable=t");
    assertEquals(ExitCodes.FAILED, unreachable.exitCode);
    assertFalse(unreachable.toConsole().contains("s3cret-pw"));
  }

  private static long count(TestDatabase db, String where) {
    return ((Number) db.scalar("SELECT count(*) FROM accounts WHERE " + where)).longValue();
  }
}
