package dev.ferry.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.MappingSpec;
import dev.ferry.map.RecordMapper;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.KeyRangePlanner;
import dev.ferry.plan.SourceRelation;
import dev.ferry.read.RangeTask;
import dev.ferry.read.ReadRanges;
import dev.ferry.record.Column;
import dev.ferry.record.CopyTextRows;
import dev.ferry.record.Layout;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import dev.ferry.write.TargetTable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * The COPY path gives the profile the JDBC path gives, number for number and finding for
 * finding: both run on the same real PostgreSQL table, seeded with what COPY text makes hard
 * (escapes, NULLs next to the text "\N", unicode beyond the BMP, encoding damage, NaN and
 * infinities, BC and far-future dates, time 24:00, values too large for one COPY message, rows
 * without a key), and their profiles are compared whole, as the JSON report prints them.
 */
class CopyProfileTest {
  private static final int ROWS = 3000;
  /** Profiles by test run and path; the DirectRunner runs in this JVM. */
  private static final Map<String, String> PROFILES = new ConcurrentHashMap<>();
  private static final Map<String, TableProfile> SEEN = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void copyGivesTheProfileOfTheJdbcReaderOnEveryKindOfValue() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE v (id bigint UNIQUE, name text, code varchar(20),"
            + " amount numeric(12,3), n numeric, x float8, r real, small int2, mid int4,"
            + " flag boolean, bio text, doc jsonb, j json, blob bytea, birthday date,"
            + " created_at timestamp, seen_at timestamptz, at time, u uuid, pad char(4))",
        // stored uncompressed, so that pg_column_size shows the large document's whole size
        "ALTER TABLE v ALTER COLUMN doc SET STORAGE EXTERNAL",
        "INSERT INTO v SELECT g,"
            + " CASE g % 13 WHEN 0 THEN NULL WHEN 1 THEN E'tab\\there' WHEN 2 THEN"
            + " E'line\\nbreak\\r\\n' WHEN 3 THEN E'back\\\\slash \\\\N' WHEN 4 THEN '\\N'"
            + " WHEN 5 THEN E'\\b\\f\\v ctrl' WHEN 6 THEN '' WHEN 7 THEN 'emoji 😀 李 ' || g"
            + " ELSE 'name-' || g END,"
            + " CASE WHEN g % 250 = 0 THEN 'code-too-long' ELSE 'c' || (g % 7) END,"
            + " CASE WHEN g % 400 = 0 THEN g + 0.125 WHEN g % 9 = 0 THEN -g * 0.5"
            + " WHEN g % 11 = 0 THEN 0 ELSE g * 1.5 END,"
            + " CASE g % 50 WHEN 25 THEN 'NaN' WHEN 1 THEN 12345678901234567890.123456789"
            + " WHEN 2 THEN -0.000 WHEN 3 THEN NULL ELSE g / 7.0 END,"
            + " CASE g % 40 WHEN 0 THEN 'NaN' WHEN 1 THEN 'Infinity' WHEN 2 THEN '-Infinity'"
            + " WHEN 3 THEN 1e300 WHEN 4 THEN -0.0 ELSE g / 3.0 END,"
            + " (g / 7.0)::real, (g % 30000)::int2, g * 1000 - 1500000, g % 3 = 0,"
            + " CASE g % 100 WHEN 1 THEN 'CafÃ©' WHEN 2 THEN E'Caf\\uFFFD' WHEN 3 THEN"
            + " E'smart\\u0093quote' WHEN 4 THEN repeat(md5(g::text), 4000) ELSE 'Café '"
            + " || (g % 13) END,"
            + " CASE WHEN g % 500 = 0 THEN jsonb_build_object('k', repeat('x', 2000))"
            + " WHEN g = 77 THEN (SELECT jsonb_agg(md5(i::text)) FROM generate_series(1, 8000) i)"
            + " ELSE jsonb_build_object('k', g, 'tab', E'a\\tb', 'q', 'say \"hi\"') END,"
            + " ('{\"raw\": \"' || g || E'\\\\\\\\ \\\\n\"}')::json,"
            + " CASE WHEN g % 3 = 0 THEN NULL ELSE decode(repeat('005c0a09ff', g % 50), 'hex')"
            + " END,"
            + " CASE WHEN g % 1000 = 7 THEN date '0500-01-01' WHEN g = 8 THEN 'infinity'::date"
            + " WHEN g = 9 THEN '-infinity'::date WHEN g = 10 THEN date '0044-03-15 BC'"
            + " WHEN g = 11 THEN date '12345-01-01' ELSE date '1980-01-01' + g END,"
            + " CASE WHEN g = 12 THEN 'infinity'::timestamp WHEN g = 13 THEN"
            + " timestamp '0010-01-01 00:00:00 BC' WHEN g % 5 = 0 THEN NULL ELSE"
            + " now()::timestamp - (g % 120) * interval '1 day' - g * interval '1.5 ms' END,"
            + " CASE WHEN g = 14 THEN '-infinity'::timestamptz ELSE"
            + " timestamptz '2021-06-01 12:00:00+05:30' + g * interval '1.25 s' END,"
            + " CASE WHEN g = 15 THEN time '24:00:00' WHEN g % 4 = 0 THEN NULL"
            + " ELSE time '00:00:00' + g * interval '7.000125 s' END,"
            + " md5(g::text)::uuid, CASE WHEN g % 6 = 0 THEN 'ab' END"
            + " FROM generate_series(1, " + ROWS + ") g",
        "INSERT INTO v (id, name) VALUES (NULL, 'no key'), (NULL, E'no\\tkey either')",
        "CREATE TABLE target (id bigint primary key, name text, code varchar(10),"
            + " amount numeric(10,2), n numeric, x float8, r real, small int2, mid int4,"
            + " flag boolean, bio text, doc jsonb, j json, blob bytea, birthday date,"
            + " created_at timestamp, seen_at timestamptz, at time, u uuid, pad char(4))");
    JdbcEndpoint source = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    SourceRelation relation = SourceRelation.table(List.of("v"), List.of("id"));
    Layout layout;
    GrowthWindow growth;
    List<RangeTask> tasks = new ArrayList<>();
    try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE)) {
      layout = Describe.relation(c, relation.fromClause(source.dialect()));
      growth = TableCatalog.growthWindow(c, source.dialect(), "created_at");
      assertTrue(TableCatalog.uniqueKeyConstraint(c, source.dialect(), List.of("v"),
          List.of("id")).isPresent());
      for (KeyRange r : new KeyRangePlanner(source.dialect(), relation, 6).plan(c)) {
        tasks.add(RangeTask.fresh(r));
      }
    }
    assertTrue(tasks.stream().anyMatch(t -> t.range().nullKeys()), "a range of NULL keys");
    TargetTable target = TargetTable.describe(source, List.of("target"), layout.names(),
        List.of("id"));
    ProfileRows profileRows = ProfileRows.of(layout, List.of("id")).withLargeValueBytes(1000)
        .withExampleKeys(4).withKeyUnique(true).withGrowth(growth)
        .withTargetFit(TargetFit.of(RecordMapper.compile(MappingSpec.identity(), layout),
            target, source.dialect(), source.dialect()));
    assertNull(profileRows.copyUnsupportedReason(Dialect.POSTGRESQL));

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<RangeTask> ranges = p.apply(Create.of(tasks).withCoder(
        SerializableCoder.of(RangeTask.class)));
    keep(ranges.apply("Jdbc", ReadRanges.from(source, relation, layout).withChunkSize(100))
        .apply("ProfileJdbc", profileRows), "jdbc");
    keep(ranges.apply("Copy", profileRows.viaPostgresCopy(source, relation)), "copy");
    p.run().waitUntilFinish();

    String jdbc = PROFILES.get("jdbc");
    assertNotNull(jdbc);
    assertEquals(jdbc, PROFILES.get("copy"));
    // Not vacuous: the profile saw the rows, the rejections and the findings seeded.
    TableProfile profile = SEEN.get("copy");
    String rejects = "coalesce(n = 'NaN' OR created_at = 'infinity' OR seen_at = '-infinity'"
        + " OR at = '24:00', false)";
    long rejected = count(db, rejects);
    assertEquals(ROWS + 2, profile.rowsRead);
    assertEquals(ROWS + 2 - rejected, profile.rowsProfiled);
    assertEquals(count(db, "n = 'NaN'"),
        profile.finding(FindingKind.UNREADABLE_VALUE, "n").count);
    assertEquals(1, profile.finding(FindingKind.UNREADABLE_VALUE, "at").count);
    assertEquals(1, profile.finding(FindingKind.OUT_OF_RANGE_DATE, "seen_at").count);
    assertEquals(count(db, "char_length(code) > 10 AND NOT " + rejects),
        profile.finding(FindingKind.WILL_NOT_FIT, "code").count);
    assertEquals(2, profile.finding(FindingKind.NULL_KEY, null).count);
    assertEquals(count(db, "bio = 'CafÃ©'"), profile.finding(FindingKind.MOJIBAKE, "bio").count);
    assertEquals(number(db, "SELECT max(octet_length(bio)) FROM v"),
        profile.column("bio").maxLength.longValue());
    assertEquals(number(db, "SELECT max(octet_length(doc::text)) FROM v"),
        profile.column("doc").maxLength.longValue());
    assertEquals(count(db, "name IS NULL AND NOT " + rejects), profile.column("name").nulls);
    assertTrue(number(db, "SELECT max(pg_column_size(doc)) FROM v")
        > CopyProfileFn.COPY_STORED_BYTES, "a value too large for COPY, read again by key");
  }

  /**
   * Text, UUID and char(n) keys: range bounds written into the COPY statement, and rows read
   * again by key, one at a time (a value too large for COPY) and in batches (a NaN the COPY
   * parser leaves to JDBC), give the JDBC reader's profile.
   */
  @Test
  void textAndUuidKeysGiveTheProfileOfTheJdbcReaderToo() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE t (k text PRIMARY KEY, u uuid UNIQUE NOT NULL,"
            + " c char(6) UNIQUE NOT NULL, n numeric, doc text)",
        // stored uncompressed: the long documents are too large for COPY, read again by key
        "ALTER TABLE t ALTER COLUMN doc SET STORAGE EXTERNAL",
        "INSERT INTO t SELECT (ARRAY[E'tab\\there', E'back\\\\slash', '\\N', 'quote''d',"
            + " 'Köln 😀', ''])[1 + g % 6] || g, md5(g::text)::uuid, 'c' || g,"
            + " CASE WHEN g % 10 = 0 THEN 'NaN'::numeric ELSE g END,"
            + " CASE WHEN g % 50 = 7 THEN repeat('x', 70000) ELSE 'd' || g END"
            + " FROM generate_series(1, 600) g");
    JdbcEndpoint source = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    for (String key : List.of("k", "u", "c")) {
      SourceRelation relation = SourceRelation.table(List.of("t"), List.of(key));
      Layout layout;
      List<RangeTask> tasks = new ArrayList<>();
      try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE)) {
        layout = Describe.relation(c, relation.fromClause(source.dialect()));
        for (KeyRange r : new KeyRangePlanner(source.dialect(), relation, 4).plan(c)) {
          tasks.add(RangeTask.fresh(r));
        }
      }
      ProfileRows profileRows = ProfileRows.of(layout, List.of(key)).withLargeValueBytes(1000)
          .withExampleKeys(4).withKeyUnique(true);
      assertNull(profileRows.copyUnsupportedReason(Dialect.POSTGRESQL), key);
      TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
      PCollection<RangeTask> ranges = p.apply(Create.of(tasks).withCoder(
          SerializableCoder.of(RangeTask.class)));
      keep(ranges.apply("Jdbc", ReadRanges.from(source, relation, layout).withChunkSize(100))
          .apply("ProfileJdbc", profileRows), "jdbc-" + key);
      keep(ranges.apply("Copy", profileRows.viaPostgresCopy(source, relation)), "copy-" + key);
      p.run().waitUntilFinish();

      assertEquals(PROFILES.get("jdbc-" + key), PROFILES.get("copy-" + key), key);
      TableProfile profile = SEEN.get("copy-" + key);
      assertEquals(600, profile.rowsRead, key);
      assertEquals(60, profile.finding(FindingKind.UNREADABLE_VALUE, "n").count, key);
      assertEquals(70_000L, profile.column("doc").maxLength.longValue(), key);
    }
  }

  private static long count(TestDatabase db, String where) {
    return number(db, "SELECT count(*) FROM v WHERE " + where);
  }

  private static long number(TestDatabase db, String sql) {
    return ((Number) db.scalar(sql)).longValue();
  }

  private static void keep(PCollection<TableProfile> profile, String path) {
    PAssert.thatSingleton(profile).satisfies(pr -> {
      Map<String, Object> saved = new java.util.LinkedHashMap<>();
      saved.put("profile", pr);
      saved.put("growth", pr.growth);
      try {
        PROFILES.put(path, JSON.writeValueAsString(saved));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      SEEN.put(path, pr);
      return null;
    });
  }

  @Test
  void aRangeCutOffMidStreamIsReadAgainAndCountedOnce() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    // an int4 key, and NaN in every 100th row: rows read again by key, in batches
    db.execute("CREATE TABLE r (id int PRIMARY KEY, t text, x numeric)",
        "INSERT INTO r SELECT g, 'row ' || g, CASE WHEN g % 100 = 0 THEN 'NaN'::numeric ELSE g END"
            + " FROM generate_series(1, 2000) g");
    JdbcEndpoint source = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    // The COPY pauses at row 1000, after the rows before it have been sent, until it is cut.
    SourceRelation relation = SourceRelation.query("SELECT id, t, x FROM r WHERE CASE WHEN"
        + " id = 1000 THEN (SELECT true FROM pg_sleep(1.5 + 0 * id)) ELSE true END",
        List.of("id"));
    Layout layout;
    try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE)) {
      layout = Describe.relation(c, relation.fromClause(source.dialect()));
    }
    ProfileRows.Config config = new ProfileRows.Config(layout, List.of("id"));
    config.keyUnique = true;
    CopyProfileFn fn = new CopyProfileFn(config, source, relation);
    fn.setup();
    fn.startBundle();
    java.util.concurrent.atomic.AtomicInteger cut = new java.util.concurrent.atomic.AtomicInteger();
    Thread cutter = new Thread(() -> {
      for (int i = 0; i < 200 && cut.get() == 0; i++) {
        cut.addAndGet(((Number) db.scalar("SELECT count(pg_terminate_backend(pid)) FROM"
            + " pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE 'COPY%'"))
            .intValue());
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    cutter.start();
    fn.process(RangeTask.fresh(KeyRange.between(0, new Object[] {1L}, new Object[] {2001L},
        2000)));
    cutter.join();
    ProfileStats stats = fn.takeBundle();
    fn.teardown();
    assertEquals(1, cut.get(), "the first COPY was cut off mid-stream");
    assertEquals(2000, stats.rowsRead, "the rows before the cut are not counted twice");
    assertEquals(2000 - 20, stats.rowsProfiled, "rows with NaN are rejected, as by the reader");
    assertEquals(2000 - 20, stats.columns[0].values);
    assertEquals(20, stats.tally(FindingKind.UNREADABLE_VALUE, "x").count());
  }

  @Test
  void parsesCopyTextAsTheReaderReadsAndLeavesUnusualFormsToIt() {
    Layout layout = new Layout(List.of(
        new Column("id", Types.BIGINT, "int8", 19, 0, false),
        new Column("t", Types.VARCHAR, "text", Integer.MAX_VALUE, 0, true),
        new Column("d", Types.NUMERIC, "numeric", 12, 3, true),
        new Column("ts", Types.TIMESTAMP, "timestamp", 29, 6, true),
        new Column("tz", Types.TIMESTAMP, "timestamptz", 35, 6, true),
        new Column("b", Types.BINARY, "bytea", Integer.MAX_VALUE, 0, true)));
    CopyText text = new CopyText(layout);
    Object[] v = new Object[6];
    byte[] row = ("-42\ta\\tb\\\\c\\nd\t-0.500\t2020-02-29 23:59:59.5\t"
        + "2021-06-01 12:00:00.25+05:30\t\\\\x00ff5c\n").getBytes(StandardCharsets.UTF_8);
    int end = text.parse(row, row.length, v);
    assertEquals(row.length - 1, end);
    assertEquals(-42L, v[0]);
    assertEquals("a\tb\\c\nd", v[1]);
    assertEquals(new BigDecimal("-0.500"), v[2]);
    assertEquals(3, ((BigDecimal) v[2]).scale());
    assertEquals(LocalDateTime.of(2020, 2, 29, 23, 59, 59, 500_000_000), v[3]);
    assertEquals(OffsetDateTime.of(2021, 6, 1, 6, 30, 0, 250_000_000, ZoneOffset.UTC), v[4]);
    assertArrayEquals(new byte[] {0, (byte) 0xFF, 0x5C}, (byte[]) v[5]);
    assertArrayEquals(new Object[] {-42L, "a\tb\\c\nd"},
        CopyTextRows.key(row, layout, new int[] {0, 1}));

    byte[] nulls = "7\t\\N\t\\N\t\\N\t\\N\t\\N\n".getBytes(StandardCharsets.UTF_8);
    assertEquals(nulls.length - 1, text.parse(nulls, nulls.length, v));
    assertNull(v[1], "\\N is NULL");
    byte[] literal = "7\t\\\\N\t\\N\t\\N\t\\N\t\\N\n".getBytes(StandardCharsets.UTF_8);
    text.parse(literal, literal.length, v);
    assertEquals("\\N", v[1], "\\\\N is the text \\N");

    for (String unusual : List.of("1\tx\tNaN\t\\N\t\\N\t\\N\n",
        "1\tx\t\\N\tinfinity\t\\N\t\\N\n", "1\tx\t\\N\t0044-03-15 00:00:00 BC\t\\N\t\\N\n",
        "1\tx\t\\N\t12345-01-01 00:00:00\t\\N\t\\N\n")) {
      byte[] b = unusual.getBytes(StandardCharsets.UTF_8);
      assertEquals(-1, text.parse(b, b.length, v), unusual);
    }
  }

  @Test
  void copyIsRefusedWhereItCannotGiveTheSameProfile() {
    Layout layout = new Layout(List.of(new Column("id", Types.BIGINT, "int8", 19, 0, false),
        new Column("k", Types.VARCHAR, "varchar", 10, 0, false),
        new Column("p", Types.OTHER, "point", 0, 0, true)));
    ProfileRows keyed = ProfileRows.of(layout, List.of("id"));
    assertEquals("the source is not PostgreSQL",
        keyed.withKeyUnique(true).copyUnsupportedReason(Dialect.MYSQL));
    assertEquals("the key is not proven unique", keyed.copyUnsupportedReason(Dialect.POSTGRESQL));
    assertEquals("key column p is point, not an integer, text or UUID",
        ProfileRows.of(layout, List.of("p")).withKeyUnique(true)
            .copyUnsupportedReason(Dialect.POSTGRESQL));
    assertEquals("column p of type point is not parsed from COPY text",
        keyed.withKeyUnique(true).copyUnsupportedReason(Dialect.POSTGRESQL));
    JdbcEndpoint endpoint = new JdbcEndpoint("jdbc:postgresql://localhost/x", "u", "p");
    assertThrows(IllegalArgumentException.class, () -> keyed.viaPostgresCopy(endpoint,
        SourceRelation.table(List.of("t"), List.of("id"))));
  }
}
