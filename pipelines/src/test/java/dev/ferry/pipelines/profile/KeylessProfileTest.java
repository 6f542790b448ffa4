package dev.ferry.pipelines.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.report.html.ReportPages;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.profile.ColumnProfile;
import dev.ferry.profile.Finding;
import dev.ferry.profile.FindingKind;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table without a primary key is profiled in one scan, with the same column statistics as a
 * keyed one (and the charts' data: length bins, top values, rows per month), instead of being
 * refused; the report says that no key exists, and its HTML page lands beside the JSON.
 */
class KeylessProfileTest {
  private static final String PASSWORD = "pw-Keyless-7731";

  @TempDir Path dir;

  private static ProfileReport profile(TestDatabase src, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("--job=keyless",
        "--sourceUrl=" + src.jdbcUrl(), "--sourceUser=" + src.user(),
        "--sourcePasswordEnv=SRC_PW", "--partitions=4"));
    args.addAll(List.of(more));
    ProfileOptions options = PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
        .as(ProfileOptions.class);
    return ProfilePipeline.run(options, new Secrets(Map.of("SRC_PW", PASSWORD)));
  }

  @Test
  void postgresTableWithoutKeyIsProfiledInOneScan() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE events (happened_at timestamp, kind text, payload text,"
            + " amount numeric(10,2))",
        "INSERT INTO events SELECT timestamp '2025-01-15 10:00' + (g % 400) * interval '1 day',"
            + " (ARRAY['click','view','buy'])[1 + g % 3],"
            + " CASE WHEN g % 5 = 0 THEN NULL ELSE repeat('x', g % 40) END, g / 7.0"
            + " FROM generate_series(1, 3000) g",
        // The same rows again: without a key, duplicates are only rows, not findings.
        "INSERT INTO events SELECT * FROM events WHERE amount < 10");
    long rows = src.count("events");
    Path json = dir.resolve("events.json");
    ProfileReport report = profile(src, "--sourceTable=events",
        "--createdAtColumn=happened_at", "--report=" + json);

    assertEquals(0, report.exitCode, report.error);
    assertEquals(List.of(), report.key);
    assertEquals(rows, report.profile.rowsRead);
    assertEquals(rows, report.profile.rowsProfiled);
    assertTrue(report.notes.stream().anyMatch(n -> n.contains("no primary key")), report.notes
        .toString());
    assertTrue(report.notes.contains("read: through JDBC (COPY not used: the table has no key)"),
        report.notes.toString());
    assertNull(report.profile.finding(FindingKind.DUPLICATE_KEY, null));
    assertTrue(report.toConsole().contains("(no key: read in one scan)"), report.toConsole());

    ColumnProfile payload = report.profile.column("payload");
    assertEquals(scalar(src, "SELECT count(*) FROM events WHERE payload IS NULL"), payload.nulls);
    assertEquals(scalar(src, "SELECT max(octet_length(payload)) FROM events"),
        payload.maxLength);
    assertEquals(rows - payload.nulls, payload.lengths.stream()
        .mapToLong(ColumnProfile.LengthBin::count).sum(), "every value in a length bin");
    assertEquals(new ColumnProfile.LengthBin(1, 1, scalar(src, "SELECT count(*) FROM events"
        + " WHERE octet_length(payload) = 1")), payload.lengths.get(0), "from the shortest");
    assertEquals(new ColumnProfile.LengthBin(32, 63, scalar(src, "SELECT count(*) FROM events"
        + " WHERE octet_length(payload) >= 32")), payload.lengths.get(payload.lengths.size() - 1),
        "to the longest");
    assertNull(payload.topValues, "39 distinct values: not a low-cardinality column");

    Map<String, Long> kinds = new TreeMap<>();
    report.profile.column("kind").topValues.forEach(v -> kinds.put(v.value(), v.count()));
    assertEquals(Map.of("buy", count(src, "kind = 'buy'"), "click", count(src, "kind = 'click'"),
        "view", count(src, "kind = 'view'")), kinds);

    Map<String, Long> months = new TreeMap<>();
    for (List<Object> row : src.query("SELECT to_char(happened_at, 'YYYY-MM'), count(*) FROM"
        + " events GROUP BY 1")) {
      months.put((String) row.get(0), ((Number) row.get(1)).longValue());
    }
    assertEquals(months, report.profile.rowsPerMonth);

    Path page = Path.of(ReportPages.besideJson(json.toString()));
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertTrue(html.contains("none: the table has no key and was read in one scan"));
    assertTrue(html.contains("Rows per month (growth)"));
    assertFalse(html.contains(PASSWORD), "the password is in the page");
    assertFalse(Files.readString(json).contains(PASSWORD), "the password is in the report");
  }

  @Test
  void mariaDbTableWithoutKeyIsProfiledAndItsFindingsNameNoRows() {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("SET SESSION sql_mode = ''",
        "CREATE TABLE legacy (status enum('new','paid'), placed datetime, note varchar(20))",
        "INSERT INTO legacy SELECT elt(1 + seq % 2, 'new', 'paid'),"
            + " '2024-03-01' + interval seq hour, concat('n', seq) FROM seq_1_to_2000");
    src.execute("SET SESSION sql_mode = ''",
        "INSERT INTO legacy VALUES ('new', '0000-00-00 00:00:00', 'zero')");
    ProfileReport report = profile(src, "--sourceTable=legacy");

    assertEquals(0, report.exitCode, report.error);
    assertEquals(2001, report.profile.rowsRead);
    assertEquals("enum('new','paid')", report.profile.column("status").type);
    // The zero-date row is rejected by the reader: counted as a finding, not profiled.
    assertEquals(2000, report.profile.rowsProfiled);
    assertEquals(List.of(new ColumnProfile.ValueCount("new", 1000),
        new ColumnProfile.ValueCount("paid", 1000)), report.profile.column("status").topValues);
    Finding zero = report.profile.finding(FindingKind.ZERO_DATE, "placed");
    assertEquals(1, zero.count);
    assertEquals(List.of(), zero.examples, "no key: no row to name");
  }

  private static long scalar(TestDatabase db, String sql) {
    return ((Number) db.scalar(sql)).longValue();
  }

  private static long count(TestDatabase db, String where) {
    return scalar(db, "SELECT count(*) FROM events WHERE " + where);
  }
}
