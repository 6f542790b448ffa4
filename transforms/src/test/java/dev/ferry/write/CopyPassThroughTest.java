package dev.ferry.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.MapChunks;
import dev.ferry.map.MappingSpec;
import dev.ferry.map.RecordMapper;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.SourceRelation;
import dev.ferry.progress.ProgressStore;
import dev.ferry.read.RangeTask;
import dev.ferry.read.ReadRanges;
import dev.ferry.record.Chunk;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * Rows passed from PostgreSQL to PostgreSQL as COPY text arrive exactly as the source holds
 * them, whatever the servers' output styles; rows the target rejects are dead-lettered one by one
 * and the rest are written; a second run upserts through staging.
 */
class CopyPassThroughTest {
  private static final String COLUMNS = "id bigint PRIMARY KEY, t text, v varchar(20),"
      + " c char(5), b bytea, j json, jb jsonb, n numeric(12,3), f8 float8, f4 float4,"
      + " ts timestamp, tstz timestamptz, d date, tm time, iv interval, u uuid, bo boolean,"
      + " arr text[], i4 int, i2 smallint";

  /** Text values with every escape COPY knows, NULL look-alikes and multi-byte characters. */
  private static final String[] TEXTS = {
      "plain", "", "tab\there", "new\nline", "cr\rreturn", "back\\slash", "\\N", "NULL",
      "Köln 東京 \uD83D\uDE80", "\b\f\u000b", "end with backslash\\", "a".repeat(20_000)};

  @Test
  void everyTypeArrivesExactlyAsTheSourceHeldIt() throws Exception {
    TestDatabase source = EmbeddedDatabases.newPostgres();
    TestDatabase target = EmbeddedDatabases.newPostgres();
    // Output styles that differ from the target's: the reader must pin its own.
    source.execute("ALTER DATABASE " + source.name() + " SET bytea_output = 'escape'",
        "ALTER DATABASE " + source.name() + " SET IntervalStyle = 'sql_standard'",
        "ALTER DATABASE " + source.name() + " SET extra_float_digits = -3",
        "ALTER DATABASE " + source.name() + " SET TimeZone = 'Asia/Kathmandu'");
    target.execute("ALTER DATABASE " + target.name() + " SET IntervalStyle = 'iso_8601'",
        "ALTER DATABASE " + target.name() + " SET TimeZone = 'America/St_Johns'");
    source.execute("CREATE TABLE item (" + COLUMNS + ")");
    target.execute("CREATE TABLE item (" + COLUMNS + ")");
    source.execute("INSERT INTO item SELECT g,"
        + " (ARRAY[" + textArray() + "])[1 + g % " + TEXTS.length + "],"
        + " CASE WHEN g % 7 = 0 THEN NULL ELSE left('v' || g || E'\\t\\\\', 20) END,"
        + " CASE WHEN g % 5 = 0 THEN '' ELSE 'ab' END,"
        + " CASE WHEN g % 6 = 0 THEN NULL ELSE decode(lpad(to_hex(g), 8, '0') || '005cff0a', 'hex') END,"
        + " json_build_object('k', g, 's', E'q\"\\\\\\n', 'nested', json_build_array(1, 'x')),"
        + " jsonb_build_object('z', g, 'a', 0.1),"
        + " (g * 1.001)::numeric(12,3),"
        + " (ARRAY['NaN', 'Infinity', '-Infinity', '0.1', '-0', '1e308', '4.9e-324'])[1 + g % 7]::float8 + g * 0,"
        + " (g / 3.0)::float4,"
        + " CASE WHEN g = 3 THEN 'infinity'::timestamp ELSE timestamp '2021-03-28 01:59:59.123456' + g * interval '37 minutes' END,"
        + " timestamptz '2021-10-31 00:30:00.5+00' + g * interval '13 minutes',"
        + " CASE WHEN g = 4 THEN '-infinity'::date ELSE date '0099-12-31' + g END,"
        + " time '23:59:59.999999' - g * interval '1 second',"
        + " CASE WHEN g % 2 = 0 THEN interval '1 year 2 mons -3 days 04:05:06.789' * g ELSE interval '-1 day +2 hours' END,"
        + " md5(g::text)::uuid, g % 3 = 0,"
        + " ARRAY['x', NULL, E'q\"u,o{te}', g::text],"
        + " -g, (g % 32000)::smallint"
        + " FROM generate_series(1, 3000) g");
    JdbcEndpoint from = endpoint(source);
    JdbcEndpoint to = endpoint(target);
    Layout layout = layout(source);
    TargetTable table = TargetTable.describe(to, List.of("item"), layout.names(), List.of("id"));
    assertNull(CopyPassThrough.refusal(from, layout, List.of("id"), to, table));

    PipelineResult result = copy(from, to, layout, table, "r1", true);

    // A row with a 20,000-character text starts a chunk read as values (the text fetched by
    // key); then COPY goes on.
    long asText = counter(result, ReadRanges.class, "rowsReadAsCopyText");
    assertTrue(asText > 200 && asText < 3000, "rows read as COPY text: " + asText);
    assertEquals(250L, counter(result, ReadRanges.class, "largeValueRows"));
    assertEquals(3000L, counter(result, ReadRanges.class, "rowsRead"));
    assertEquals(rowsAsText(source), rowsAsText(target));
    assertEquals(0L, target.count("ferry_dead_letter"));
    ProgressStore.Totals totals = new ProgressStore(to, List.of()).totals("job", "fp");
    assertEquals(3, totals.rangesDone);
    assertEquals(3000, totals.rowsWritten);
  }

  @Test
  void rejectedRowsAreDeadLetteredAndARerunUpsertsThroughStaging() throws Exception {
    TestDatabase source = EmbeddedDatabases.newPostgres();
    TestDatabase target = EmbeddedDatabases.newPostgres();
    source.execute("CREATE TABLE item (id bigint PRIMARY KEY, code text, qty int)",
        "INSERT INTO item SELECT g, 'c' || g, g FROM generate_series(1, 500) g",
        "UPDATE item SET qty = -1 WHERE id IN (17, 250)",
        "UPDATE item SET code = NULL WHERE id = 333");
    target.execute("CREATE TABLE item (id bigint PRIMARY KEY, code text NOT NULL,"
        + " qty int CONSTRAINT qty_not_negative CHECK (qty >= 0))");
    JdbcEndpoint from = endpoint(source);
    JdbcEndpoint to = endpoint(target);
    Layout layout = layout(source);
    TargetTable table = TargetTable.describe(to, List.of("item"), layout.names(), List.of("id"));

    copy(from, to, layout, table, "r1", false);

    assertEquals(497L, target.count("item"));
    Map<String, String> dead = new TreeMap<>();
    for (List<Object> d : target.query("SELECT row_key, error, source_row FROM ferry_dead_letter")) {
      dead.put((String) d.get(0), (String) d.get(1));
      if (d.get(0).equals("{\"id\":17}")) {
        assertTrue(((String) d.get(2)).contains("\"qty\":\"-1\""), (String) d.get(2));
      }
    }
    assertEquals(List.of("{\"id\":17}", "{\"id\":250}", "{\"id\":333}"),
        new ArrayList<>(dead.keySet()));
    assertTrue(dead.get("{\"id\":17}").startsWith("target item rejected the row: ")
        && dead.get("{\"id\":17}").contains("qty_not_negative"), dead.get("{\"id\":17}"));
    assertTrue(dead.get("{\"id\":333}").contains("\"code\""), dead.get("{\"id\":333}"));

    // A second run meets existing keys: COPY into staging, then one upsert per chunk.
    source.execute("UPDATE item SET code = 'changed' WHERE id IN (1, 100, 499)",
        "UPDATE item SET qty = 5 WHERE id = 17");
    new ProgressStore(to, List.of()).planOrResume("job2", "fp", CopyPassThroughTest::ranges);
    copy(from, to, layout, table, "job2", "r2", ReadRanges.DEFAULT_MAX_CHUNK_BYTES, true,
        List.of("id"), ranges());
    assertEquals(498L, target.count("item"));
    assertEquals(List.of(List.of(1L, "changed"), List.of(17L, "c17"), List.of(100L, "changed"),
        List.of(499L, "changed")), target.query("SELECT id, code FROM item"
            + " WHERE id IN (1, 17, 100, 499) ORDER BY id"));
  }

  @Test
  void aCopyCallThatOutgrowsItsBudgetEndsEarlyAndLosesNothing() throws Exception {
    TestDatabase source = EmbeddedDatabases.newPostgres();
    TestDatabase target = EmbeddedDatabases.newPostgres();
    String ddl = "CREATE TABLE item (id bigint PRIMARY KEY, body varchar(2000))";
    source.execute(ddl, "INSERT INTO item SELECT g, repeat(chr(65 + g % 26), 1000)"
        + " FROM generate_series(1, 3000) g");
    target.execute(ddl);
    JdbcEndpoint from = endpoint(source);
    JdbcEndpoint to = endpoint(target);
    Layout layout = layout(source);
    TargetTable table = TargetTable.describe(to, List.of("item"), layout.names(), List.of("id"));
    ProgressStore store = new ProgressStore(to, List.of());
    store.ensureTables();
    store.planOrResume("job", "fp", CopyPassThroughTest::ranges);

    // The first call of a reader knows no row size and asks for 64 chunks of 97 rows; at 64 KiB
    // per chunk it passes its budget after two chunks, drops its connection and resumes.
    PipelineResult result = copy(from, to, layout, table, "job", "r1", 65_536, true,
        List.of("id"), ranges());

    assertEquals(3000L, counter(result, ReadRanges.class, "rowsReadAsCopyText"));
    assertEquals(rowsAsText(source), rowsAsText(target));
    assertEquals(3, store.totals("job", "fp").rangesDone);
  }

  @Test
  void onlyAlikeColumnsAndKeysReadBackFromTextPass() throws Exception {
    TestDatabase source = EmbeddedDatabases.newPostgres();
    TestDatabase target = EmbeddedDatabases.newPostgres();
    source.execute("CREATE TABLE item (id bigint PRIMARY KEY, code varchar(10), name text,"
        + " at timestamp)");
    target.execute("CREATE TABLE item (id bigint PRIMARY KEY, code varchar(8), name text,"
        + " at timestamp)", "CREATE TABLE named (id bigint PRIMARY KEY, code varchar(10),"
        + " name text, at timestamp)");
    JdbcEndpoint from = endpoint(source);
    JdbcEndpoint to = endpoint(target);
    Layout layout = layout(source);
    TargetTable shorter = TargetTable.describe(to, List.of("item"), layout.names(),
        List.of("id"));
    assertEquals("column code differs between source and target",
        CopyPassThrough.refusal(from, layout, List.of("id"), to, shorter));
    TargetTable alike = TargetTable.describe(to, List.of("named"), layout.names(),
        List.of("id"));
    assertNull(CopyPassThrough.refusal(from, layout, List.of("id"), to, alike));
    assertNull(CopyPassThrough.refusal(from, layout, List.of("name", "code"), to, alike));
    assertEquals("key column at is timestamp, not an integer, text or UUID",
        CopyPassThrough.refusal(from, layout, List.of("id", "at"), to, alike));
  }

  /**
   * Text and UUID keys pass as COPY text too. With 1 KB rows and the smallest budget every COPY
   * call stops after some 60 rows and the next goes on after the last key, written into the
   * statement: keys with
   * every escape COPY knows, quotes, backslashes and multi-byte characters must neither lose nor
   * repeat a row, alone and in a composite key.
   */
  @Test
  void textAndUuidKeysPassAndEachCopyCallGoesOnAfterTheLastKey() throws Exception {
    TestDatabase source = EmbeddedDatabases.newPostgres();
    TestDatabase target = EmbeddedDatabases.newPostgres();
    String texts = textArray() + ", E'quote''d'::text, E'E''x''\\\\'::text, ' '::text";
    int textCount = TEXTS.length + 3;
    UUID zero = new UUID(0, 0);
    Map<List<String>, List<KeyRange>> cases = Map.of(
        List.of("k"), List.of(KeyRange.between(0, null, new Object[] {"m"}, 1000),
            KeyRange.between(1, new Object[] {"m"}, null, 1000)),
        List.of("k", "u"), List.of(KeyRange.between(0, null, new Object[] {"m", zero}, 1000),
            KeyRange.between(1, new Object[] {"m", zero}, null, 1000)));
    for (Map.Entry<List<String>, List<KeyRange>> c : cases.entrySet()) {
      String ddl = "CREATE TABLE item (k text, u uuid NOT NULL, v int, pad text, PRIMARY KEY ("
          + String.join(", ", c.getKey()) + "))";
      for (TestDatabase db : List.of(source, target)) {
        db.execute("DROP TABLE IF EXISTS item", ddl);
      }
      // One key column: each text once, made unique by its row number; two: each text many
      // times, with different UUIDs.
      source.execute("INSERT INTO item SELECT (ARRAY[" + texts + "])[1 + g % " + textCount
          + "] || " + (c.getKey().size() == 1 ? "g" : "''") + ", md5(g::text)::uuid, g,"
          + " repeat('x', 1000) FROM generate_series(1, 2000) g");
      JdbcEndpoint from = endpoint(source);
      JdbcEndpoint to = endpoint(target);
      Layout layout = layout(source);
      TargetTable table = TargetTable.describe(to, List.of("item"), layout.names(), c.getKey());
      assertNull(CopyPassThrough.refusal(from, layout, c.getKey(), to, table));
      String job = "job" + c.getKey().size();
      ProgressStore store = new ProgressStore(to, List.of());
      store.ensureTables();
      store.planOrResume(job, "fp", c::getValue);

      PipelineResult result = copy(from, to, layout, table, job, "r1", 65_536, true,
          c.getKey(), c.getValue());

      assertEquals(2000L, counter(result, ReadRanges.class, "rowsReadAsCopyText"), job);
      assertEquals(rowsAsText(source), rowsAsText(target), job);
      ProgressStore.Totals totals = store.totals(job, "fp");
      assertEquals(2, totals.rangesDone, job);
      assertEquals(2000, totals.rowsWritten, job);
    }
  }

  @Test
  void aResumedRangeStartsAfterItsCheckpointKey() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE t (id int PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 25) g");
    JdbcEndpoint endpoint = endpoint(db);
    Layout layout;
    try (Connection c = db.connect()) {
      layout = Describe.relation(c, "\"t\"");
    }
    KeyRange low = KeyRange.between(0, null, new Object[] {21L}, 20);
    KeyRange high = KeyRange.between(1, new Object[] {21L}, null, 5);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<Chunk> chunks = p
        .apply(Create.of(new RangeTask(low, 1, KeyCodec.encode(new Object[] {10L})),
            RangeTask.fresh(high)).withCoder(SerializableCoder.of(RangeTask.class)))
        .apply(ReadRanges.from(endpoint, SourceRelation.table(List.of("t"), List.of("id")),
            layout).withChunkSize(4).withCopyText());
    PAssert.that(chunks).satisfies(all -> {
      List<String> seen = new ArrayList<>();
      for (Chunk c : all) {
        List<String[]> rows = c.copyText().values(2);
        seen.add(c.range() + ":" + c.seq() + ":" + rows.size() + (c.last() ? "L" : ""));
        if (c.range() == 0 && c.seq() == 2) {
          assertEquals("11", rows.get(0)[0], "resumed after the checkpoint key");
          assertEquals("v11", rows.get(0)[1]);
          assertEquals(KeyCodec.encode(new Object[] {14L}), c.lastKey());
        }
      }
      seen.sort(String::compareTo);
      // The first COPY call asks for one chunk, the next for many: it meets the range's end.
      assertEquals(List.of("0:2:4", "0:3:4", "0:4:2L", "1:1:4", "1:2:1L"), seen);
      assertEquals(15, rowsIn(all));
      return null;
    });
    p.run().waitUntilFinish();
  }

  private static int rowsIn(Iterable<Chunk> chunks) {
    int n = 0;
    for (Chunk c : chunks) {
      n += c.copyText().rows();
    }
    return n;
  }

  private static PipelineResult copy(JdbcEndpoint from, JdbcEndpoint to, Layout layout,
      TargetTable table, String runId, boolean oneStep) throws Exception {
    ProgressStore store = new ProgressStore(to, List.of());
    store.ensureTables();
    store.planOrResume("job", "fp", CopyPassThroughTest::ranges);
    return copy(from, to, layout, table, "job", runId, ReadRanges.DEFAULT_MAX_CHUNK_BYTES,
        oneStep, List.of("id"), ranges());
  }

  /**
   * Copies {@code ranges} of {@code item}, keyed by {@code key}; {@code oneStep}: read, map and
   * write in one step as the backfill does ({@link ReadRanges#into}), else as three steps.
   */
  private static PipelineResult copy(JdbcEndpoint from, JdbcEndpoint to, Layout layout,
      TargetTable table, String job, String runId, long maxChunkBytes, boolean oneStep,
      List<String> key, List<KeyRange> ranges) {
    List<RangeTask> tasks = new ArrayList<>();
    for (KeyRange r : ranges) {
      tasks.add(RangeTask.fresh(r));
    }
    MapChunks map = MapChunks.with(RecordMapper.compile(MappingSpec.identity(), layout), key,
        "item");
    WriteChunks write = WriteChunks.into(to, table, layout, key).forJob(job, "fp", runId);
    ReadRanges read = ReadRanges.from(from, SourceRelation.table(List.of("item"), key), layout)
        .withChunkSize(97).withMaxChunkBytes(maxChunkBytes).withCopyText();
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<RangeTask> work = p.apply(Create.of(tasks).withCoder(SerializableCoder.of(
        RangeTask.class)));
    if (oneStep) {
      work.apply(read.into(map.then(write.asSink())));
    } else {
      work.apply(read).apply(map).apply(write);
    }
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return result;
  }

  private static List<KeyRange> ranges() {
    return List.of(KeyRange.between(0, null, new Object[] {1000L}, 999),
        KeyRange.between(1, new Object[] {1000L}, new Object[] {2500L}, 1500),
        KeyRange.between(2, new Object[] {2500L}, null, 501));
  }

  private static long counter(PipelineResult result, Class<?> namespace, String name) {
    long total = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(namespace, name)).build()).getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  /** Every row as PostgreSQL prints it, in one fixed set of styles, by key. */
  private static List<String> rowsAsText(TestDatabase db) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("SET IntervalStyle = postgres; SET bytea_output = hex;"
          + " SET extra_float_digits = 3; SET TimeZone = 'UTC'");
      try (ResultSet rs = s.executeQuery("SELECT i::text FROM item i ORDER BY 1")) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
    }
    return rows;
  }

  private static String textArray() {
    StringBuilder out = new StringBuilder();
    for (String t : TEXTS) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append("E'").append(t.replace("\\", "\\\\").replace("'", "\\'")
          .replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r").replace("\b", "\\b")
          .replace("\f", "\\f").replace("\u000b", "\\x0b")).append("'::text");
    }
    return out.toString();
  }

  private static JdbcEndpoint endpoint(TestDatabase db) {
    return new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
  }

  private static Layout layout(TestDatabase db) throws Exception {
    try (Connection c = db.connect()) {
      return Describe.relation(c, Dialect.POSTGRESQL.quote("item"));
    }
  }
}
