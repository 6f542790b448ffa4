package dev.ferry.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.CanonicalRules;
import dev.ferry.digest.Digest;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.digest.RowDigest;
import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.MappingSpec;
import dev.ferry.map.RecordMapper;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.SourceRelation;
import dev.ferry.record.Layout;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

class ReconcileTransformsTest {
  private static final List<KeyRange> RANGES = List.of(
      KeyRange.between(0, null, new Object[] {50L}, 50),
      KeyRange.between(1, new Object[] {50L}, null, 50));

  /** Source and target sides over the same table of one database, compared as is. */
  private static ReconcileSide[] sides(TestDatabase db, String table) throws Exception {
    JdbcEndpoint endpoint = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    Layout layout;
    try (Connection c = db.connect()) {
      layout = Describe.relation(c, table);
    }
    Map<String, String> plain = new HashMap<>();
    layout.names().forEach(n -> plain.put(n, n));
    ReconcileSide source = ReconcileSide.source(endpoint, SourceRelation.table(List.of(table),
        List.of("id")), RecordMapper.compile(MappingSpec.identity(), layout), List.of("id"))
        .withPlainColumns(plain);
    ReconcileSide target = ReconcileSide.target(endpoint, List.of(table), layout, List.of("id"),
        List.of("id"));
    return new ReconcileSide[] {source, target};
  }

  private static void checksumsInSqlEqualThePipelines(TestDatabase db) throws Exception {
    ReconcileSide[] sides = sides(db, "t");
    // Without native hashes (and with a float tolerance, which rules them out anyway) even a
    // same-typed PostgreSQL pair uses the column-by-column form both engines share.
    RowCanonicalizer canon = RowCanonicalizer.of(sides[1].readLayout(), sides[1].dialect(),
        List.of("id"), CanonicalRules.exact().withTimestampPrecision(3)
            .withFloatTolerance(1e-9), Set.of());
    PushdownPlan plan = PushdownPlan.plan(sides[0], sides[1], canon);
    assertTrue(plan.available(), plan.problem());
    for (Bucketing bucketing : List.of(Bucketing.byKeyValue(7), Bucketing.byKeyHash(5))) {
      TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
      PCollection<KV<Integer, Map<Long, Digest>>> inSql = p
          .apply("Ranges", Create.of(RANGES).withCoder(SerializableCoder.of(KeyRange.class)))
          .apply("Sql", SqlBucketDigests.of(sides[0], plan, bucketing));
      PCollection<KV<Integer, Map<Long, Digest>>> inPipeline = p
          .apply("Whole", Create.of(RangeSelection.whole(RANGES.get(0)),
              RangeSelection.whole(RANGES.get(1)))
              .withCoder(SerializableCoder.of(RangeSelection.class)))
          .apply("Read", ReadDigests.of(sides[1], canon, bucketing))
          .get(ReadDigests.RANGE_DIGESTS);
      String label = db.name() + " " + bucketing;
      PAssert.that(inSql).satisfies(d -> collect(label + " sql", d));
      PAssert.that(inPipeline).satisfies(d -> collect(label + " pipeline", d));
      p.run().waitUntilFinish();
      Map<Integer, Map<Long, Digest>> sql = COLLECTED.get(label + " sql");
      assertEquals(COLLECTED.get(label + " pipeline"), sql, label);
      assertEquals(100, sql.values().stream().flatMap(m -> m.values().stream())
          .mapToLong(Digest::count).sum(), "every row in exactly one range");
      assertTrue(sql.get(0).size() > 1, "rows spread over buckets: " + sql);

      // Before any pipeline, over JDBC: the same digests, both sides at once.
      BucketComparison before = BucketComparison.compute(sides[0], sides[1], plan, bucketing,
          RANGES);
      assertEquals(List.of(), before.differing(), label);
      assertEquals(sql.values().stream().mapToLong(Map::size).sum(), before.bucketsCompared());
      Digest whole = sql.values().stream().flatMap(m -> m.values().stream())
          .reduce(Digest.empty(), Digest::plus);
      assertEquals(whole.count(), before.facts().get(ReconcileFacts.SOURCE_DIGEST + ".count"));
      assertEquals(whole.lane1(), before.facts().get(ReconcileFacts.SOURCE_DIGEST + ".lane1"));
      assertEquals(whole.lane2(), before.facts().get(ReconcileFacts.TARGET_DIGEST + ".lane2"));
      assertEquals(100L, before.facts().get(ReconcileFacts.ROWS_IN_EQUAL_BUCKETS));
    }
  }

  @Test
  void sideConnectionsAreReusedUntilTheServerDropsThem() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("create table t(id bigint primary key)");
    try (SideConnections connections = new SideConnections(sides(pg, "t")[1].endpoint())) {
      Connection first = connections.take();
      long pid = backend(first);
      connections.give(first, true);
      Connection again = connections.take();
      assertEquals(pid, backend(again), "an idle connection is handed out again");
      connections.give(again, true);
      pg.execute("select pg_terminate_backend(" + pid + ")");
      Connection replaced = connections.take();
      long other = backend(replaced);
      assertTrue(other != pid, "a connection the server dropped is replaced");
      connections.give(replaced, false);
      assertTrue(replaced.isClosed(), "a connection whose reads failed is closed");
      assertTrue(backend(connections.take()) != other);
    }
  }

  private static long backend(Connection c) throws Exception {
    try (var s = c.createStatement(); var rs = s.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Table a as the source (its key copied unchanged) and table b as the target. */
  private static ReconcileSide[] aAgainstB(TestDatabase pg) throws Exception {
    Layout layout;
    try (Connection c = pg.connect()) {
      layout = Describe.relation(c, "a");
    }
    Map<String, String> plain = new HashMap<>();
    layout.names().forEach(n -> plain.put(n, n));
    ReconcileSide source = ReconcileSide.source(endpoint(pg), SourceRelation.table(List.of("a"),
        List.of("id")), RecordMapper.compile(MappingSpec.identity(), layout), List.of("id"))
        .withPlainColumns(plain).withKeyCopiedUnchanged();
    ReconcileSide target = ReconcileSide.target(endpoint(pg), List.of("b"), layout,
        List.of("id"), List.of("id"));
    return new ReconcileSide[] {source, target};
  }

  /** Tables a and b of ids 1-100, where b misses id 3, changed 57 and has an extra 100000. */
  private static TestDatabase threeDifferences() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("create table a(id bigint primary key, v text)",
        "insert into a select g, 'v' || g from generate_series(1, 100) g",
        "create table b as select * from a", "alter table b add primary key (id)",
        "delete from b where id = 3", "update b set v = 'changed' where id = 57",
        "insert into b values (100000, 'extra')");
    return pg;
  }

  @Test
  void comparedBucketsAreJoinedWhetherSpreadOrNot() throws Exception {
    TestDatabase pg = threeDifferences();
    ReconcileSide[] sides = aAgainstB(pg);
    ReconcileSide source = sides[0];
    ReconcileSide target = sides[1];
    RowCanonicalizer canon = RowCanonicalizer.of(target.readLayout(), target.dialect(),
        List.of("id"), CanonicalRules.exact(), Set.of());
    PushdownPlan plan = PushdownPlan.plan(source, target, canon, true);
    assertTrue(plan.nativeHashes(), plan.toString());
    Bucketing bucketing = Bucketing.byKeyValue(10);
    BucketComparison compared = BucketComparison.compute(source, target, plan, bucketing,
        RANGES);
    assertEquals(3L, compared.bucketsDiffering(), compared.toString());
    // Buckets 0 (ids 1-9 and 1-9 but 3), 5 (50-59 twice) and 10000 (the extra row).
    assertEquals(9 + 8 + 10 + 10 + 1, compared.rowsToJoin(), "rows of both sides to join");
    List<String> expected = List.of("extra n6:100000 []", "mismatched n2:57 [v]",
        "missing n1:3 []");
    for (long from : List.of(0L, Long.MAX_VALUE)) {
      TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
      PCollectionTuple out = p.apply(Reconcile.between(source, target, canon).overRanges(RANGES)
          .withFastPath(bucketing, plan).withComparedBuckets(compared)
          .withDistributionFrom(from));
      PAssert.that(out.get(Reconcile.DIFFERENCES)).satisfies(found -> {
        assertEquals(expected, labels(found));
        return null;
      });
      String label = "buckets joined from " + from;
      PAssert.that(out.get(Reconcile.FACTS)).satisfies(facts -> {
        Map<String, Long> byName = keep(label, facts);
        assertEquals(100L - 9 - 10, byName.get(ReconcileFacts.ROWS_IN_EQUAL_BUCKETS));
        assertEquals(100L, byName.get(ReconcileFacts.SOURCE_DIGEST + ".count"));
        return null;
      });
      p.run().waitUntilFinish();
      // Every source key but the missing and the mismatched one matches, counted once.
      assertEquals(98L, matches(joinedInLauncherAsInThePipeline(label, expected, source, target,
          canon, plan, bucketing, compared)));
    }
  }

  /**
   * The servers' own comparison names the differing keys and columns by their SQL texts, with
   * native row hashes (texts of the same columns) and with MD5 forms alike; a range whose
   * checksums differed but whose rows no longer do is reported, not called equal.
   */
  @Test
  void serversCompareTheDifferingBucketsThemselves() throws Exception {
    TestDatabase pg = threeDifferences();
    ReconcileSide[] sides = aAgainstB(pg);
    RowCanonicalizer canon = RowCanonicalizer.of(sides[1].readLayout(), sides[1].dialect(),
        List.of("id"), CanonicalRules.exact(), Set.of());
    Bucketing bucketing = Bucketing.byKeyValue(10);
    try (SideConnections s = new SideConnections(sides[0].endpoint());
        SideConnections t = new SideConnections(sides[1].endpoint())) {
      for (boolean nativeHashes : new boolean[] {true, false}) {
        PushdownPlan plan = PushdownPlan.plan(sides[0], sides[1], canon, nativeHashes);
        BucketComparison compared = BucketComparison.compute(sides[0], sides[1], plan,
            bucketing, RANGES);
        ServerRowCheck.Result seen = ServerRowCheck.of(sides[0], sides[1], canon, plan,
            bucketing).run(compared.differing(), s, t);
        List<String> found = new ArrayList<>();
        for (ServerRowCheck.Difference d : seen.differences()) {
          found.add(d.asOutcome().kind().label() + " " + d.key() + " " + d.columns());
        }
        assertEquals(List.of("missing n1:3 []", "mismatched n2:57 [v]", "extra n6:100000 []"),
            found, "native hashes " + nativeHashes);
        assertEquals(Map.of("v", "v57"), seen.differences().get(1).sourceTexts());
        assertEquals(Map.of("v", "changed"), seen.differences().get(1).targetTexts());
        assertEquals(List.of(), seen.unexplained());
      }
      PushdownPlan plan = PushdownPlan.plan(sides[0], sides[1], canon, true);
      BucketComparison compared = BucketComparison.compute(sides[0], sides[1], plan, bucketing,
          RANGES);
      pg.execute("update b set v = 'v57' where id = 57", "delete from b where id = 100000");
      ServerRowCheck.Result after = ServerRowCheck.of(sides[0], sides[1], canon, plan,
          bucketing).run(compared.differing(), s, t);
      assertEquals(1, after.differences().size(), after.differences().toString());
      assertEquals(List.of(compared.differing().get(1)), after.unexplained(),
          "the second range's buckets differed and now hold no differing row");
    }
  }

  @Test
  void checksumsOnSeveralConnectionsPerSideEqualOneAtATime() throws Exception {
    TestDatabase pg = threeDifferences();
    ReconcileSide[] sides = aAgainstB(pg);
    RowCanonicalizer canon = RowCanonicalizer.of(sides[1].readLayout(), sides[1].dialect(),
        List.of("id"), CanonicalRules.exact(), Set.of());
    PushdownPlan plan = PushdownPlan.plan(sides[0], sides[1], canon, true);
    Bucketing bucketing = Bucketing.byKeyValue(10);
    List<KeyRange> ranges = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ranges.add(KeyRange.between(i, i == 0 ? null : new Object[] {15L * i},
          i == 6 ? null : new Object[] {15L * (i + 1)}, 15));
    }
    try (SideConnections s = new SideConnections(sides[0].endpoint());
        SideConnections t = new SideConnections(sides[1].endpoint())) {
      BucketComparison serial = BucketComparison.compute(sides[0], sides[1], plan, bucketing,
          ranges, s, t, 1);
      BucketComparison parallel = BucketComparison.compute(sides[0], sides[1], plan, bucketing,
          ranges, s, t, 3);
      assertEquals(3L, parallel.bucketsDiffering(), parallel.toString());
      assertEquals(serial.facts(), parallel.facts());
      assertEquals(serial.differing(), parallel.differing());

      pg.execute("drop table b");
      SQLException e = assertThrows(SQLException.class, () -> BucketComparison.compute(sides[0],
          sides[1], plan, bucketing, ranges, s, t, 3));
      assertTrue(e.getMessage().startsWith("checksumming target"), e.getMessage());
    }
  }

  /** The launcher's join of the compared buckets: the pipeline's keys and totals. */
  private static Map<String, Long> joinedInLauncherAsInThePipeline(String label,
      List<String> expected, ReconcileSide source, ReconcileSide target,
      RowCanonicalizer canon, PushdownPlan plan, Bucketing bucketing,
      BucketComparison compared) throws Exception {
    try (SideConnections s = new SideConnections(source.endpoint());
        SideConnections t = new SideConnections(target.endpoint())) {
      LocalBucketJoin.Result local = LocalBucketJoin.join(source, target, canon, plan,
          bucketing, compared, s, t);
      assertEquals(expected, labels(local.differences()), label);
      assertEquals(PIPELINE_FACTS.get(label), local.facts(), label);
      return local.facts();
    }
  }

  private static long matches(Map<String, Long> facts) {
    return facts.get(ReconcileFacts.keys(KeyClass.MATCH))
        + facts.get(ReconcileFacts.ROWS_IN_EQUAL_BUCKETS);
  }

  /** Keeps a pipeline's facts under {@code label} for a comparison after the run. */
  private static Map<String, Long> keep(String label, Iterable<KV<String, Long>> facts) {
    Map<String, Long> byName = new HashMap<>();
    facts.forEach(kv -> byName.put(kv.getKey(), kv.getValue()));
    PIPELINE_FACTS.put(label, byName);
    return byName;
  }

  /**
   * The launcher joins the differing buckets of every form of checksum as the pipeline does:
   * native row hashes merged by key, and MD5 texts or hash buckets read whole and joined by key
   * across ranges.
   */
  @Test
  void launcherJoinsDifferingBucketsAsThePipeline() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("create table a(id bigint primary key, v text, n numeric(8,2))",
        "insert into a select g, 'v' || g, g * 1.5 from generate_series(1, 100) g",
        "create table b as select * from a",
        "delete from b where id in (3, 64)", "update b set v = 'changed' where id = 57",
        "update b set n = n + 0.01 where id = 58", "insert into b values (100000, 'extra', 1),"
            + " (99, 'duplicate', 148.5)");
    ReconcileSide[] sides = aAgainstB(pg);
    ReconcileSide source = sides[0];
    ReconcileSide target = sides[1];
    RowCanonicalizer canon = RowCanonicalizer.of(target.readLayout(), target.dialect(),
        List.of("id"), CanonicalRules.exact(), Set.of());
    List<String> expected = List.of("duplicate n2:99 []", "extra n6:100000 []",
        "mismatched n2:57 [v]", "mismatched n2:58 [n]", "missing n1:3 []", "missing n2:64 []");
    for (boolean nativeHashes : List.of(true, false)) {
      PushdownPlan plan = PushdownPlan.plan(source, target, canon, nativeHashes);
      assertEquals(nativeHashes, plan.nativeHashes(), plan.toString());
      for (Bucketing bucketing : List.of(Bucketing.byKeyValue(10), Bucketing.byKeyHash(7))) {
        String label = plan + ", " + bucketing;
        BucketComparison compared = BucketComparison.compute(source, target, plan, bucketing,
            RANGES);
        TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
        PCollectionTuple out = p.apply(Reconcile.between(source, target, canon)
            .overRanges(RANGES).withFastPath(bucketing, plan).withComparedBuckets(compared));
        PAssert.that(out.get(Reconcile.DIFFERENCES)).satisfies(found -> {
          assertEquals(expected, labels(found), label);
          return null;
        });
        PAssert.that(out.get(Reconcile.FACTS)).satisfies(facts -> {
          keep(label, facts);
          return null;
        });
        p.run().waitUntilFinish();
        assertEquals(95L, matches(joinedInLauncherAsInThePipeline(label, expected, source,
            target, canon, plan, bucketing, compared)), label);
      }
    }
  }

  private static List<String> labels(Iterable<KeyOutcome> found) {
    List<String> labels = new ArrayList<>();
    found.forEach(o -> labels.add(o.kind().label() + " " + o.key() + " " + o.columns()));
    labels.sort(null);
    return labels;
  }

  @Test
  void comparedBucketsSelectOnlyWhatDiffers() {
    Digest a = new Digest(3, 11, 12);
    Digest b = new Digest(2, 21, 22);
    Map<Integer, Map<Long, Digest>> source = Map.of(0, Map.of(0L, a, 1L, b), 1, Map.of(7L, a,
        9L, b));
    // Range 1: its last bucket changed, and a bucket only the target has.
    Map<Integer, Map<Long, Digest>> target = Map.of(0, Map.of(0L, a, 1L, b), 1, Map.of(7L, a,
        9L, new Digest(2, 21, 23), 12L, a));
    BucketComparison compared = BucketComparison.compare(RANGES, source, target);
    assertEquals(List.of(RangeSelection.buckets(RANGES.get(1), new long[] {9, 12})),
        compared.differing());
    assertEquals(5L, compared.bucketsCompared());
    assertEquals(2L, compared.bucketsDiffering());
    assertEquals(2 + 2 + 3, compared.rowsToJoin());
    assertEquals(8L, compared.facts().get(ReconcileFacts.ROWS_IN_EQUAL_BUCKETS));
    assertEquals(10L, compared.facts().get(ReconcileFacts.SOURCE_DIGEST + ".count"));
    assertEquals(13L, compared.facts().get(ReconcileFacts.TARGET_DIGEST + ".count"));
    assertEquals(List.of(), BucketComparison.compare(RANGES, source, source).differing());
  }

  private static final Map<String, Map<String, Long>> PIPELINE_FACTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  // PAssert runs its checks on copies; the comparison of two outputs happens after the run.
  private static final Map<String, Map<Integer, Map<Long, Digest>>> COLLECTED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Void collect(String label, Iterable<KV<Integer, Map<Long, Digest>>> digests) {
    Map<Integer, Map<Long, Digest>> byRange = new HashMap<>();
    digests.forEach(kv -> byRange.put(kv.getKey(), new HashMap<>(kv.getValue())));
    COLLECTED.put(label, byRange);
    return null;
  }

  private static void fill(TestDatabase db, String ddl, String insert) {
    db.execute(ddl);
    for (int i = 1; i <= 100; i++) {
      db.execute(String.format(insert, i, i % 7 == 0 ? "NULL" : "'v" + i + " é'", i * 1.5,
          i % 2 == 0 ? "true" : "false", i));
    }
  }

  @Test
  void postgresChecksumsInSqlEqualThePipelines() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    fill(pg, "create table t(id bigint primary key, s text, n numeric(8,2), b boolean,"
        + " ts timestamp(6), d date)", "insert into t values (%d, %s, %s, %s,"
        + " timestamp '2024-01-01 00:00:00.123456' + interval '%d minute', current_date)");
    checksumsInSqlEqualThePipelines(pg);
  }

  @Test
  void postgresNativeRowHashesTellApartWhatTheirTypesHashesWouldNot() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    TestDatabase other = EmbeddedDatabases.newPostgres();
    assertTrue(PushdownPlan.hashesAlike(endpoint(pg), endpoint(other)));
    // jsonb's own hash ignores where an array ends, float8's equates -0 and 0; the column
    // hashes are combined by XOR, so a value moved to the next column or a NULL must still
    // change the row's hash.
    pg.execute("create table t(id int primary key, v jsonb, f float8, s text, s2 text)",
        "insert into t values (1, '[[1], 2]', 0, 'ab', 'c'), (2, '[[1, 2]]', 0, 'ab', 'c'),"
            + " (3, '[[1], 2]', '-0', 'ab', 'c'), (4, '[[1], 2]', 0, 'a', 'bc'),"
            + " (5, '[[1], 2]', 0, null, 'c'), (6, '[[1], 2]', 0, '', 'c'),"
            + " (7, '[[1], 2]', 0, 'c', 'ab'), (8, '[[1], 2]', 0, 'ab', null),"
            + " (9, '[[1], 2]', 0, null, 'ab'), (10, '[[1], 2]', 0, 'ab', 'ab'),"
            + " (11, '[[1], 2]', 0, 'c', 'c')");
    assertEquals(11L, pg.scalar("select count(distinct " + rowHash(pg, "t", 1, 5) + ") from t"));
  }

  @Test
  void postgresNativeRowHashesTellInstantsApartInAnyZone() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    // 00:30 and 01:30 UTC on 2024-10-27 are both 02:30 on Berlin's clocks, which went back.
    pg.execute("create table z(id int primary key, at timestamptz, d date, b boolean)",
        "insert into z values (1, '2024-10-27 00:30:00+00', '2024-10-27', true),"
            + " (2, '2024-10-27 01:30:00+00', '2024-10-27', true),"
            + " (3, 'infinity', 'infinity', false), (4, '-infinity', '5874897-12-31', null),"
            + " (5, null, '4713-01-01 BC', false)");
    String hash = rowHash(pg, "z", 1, 4);
    String hashes = "select string_agg((" + hash + ")::text, ',' order by id) from z";
    Object utc = pg.scalar(hashes);
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      s.execute("set time zone 'Europe/Berlin'");
      try (ResultSet rs = s.executeQuery(hashes)) {
        rs.next();
        assertEquals(utc, rs.getString(1));
      }
    }
    assertEquals(5L, pg.scalar("select count(distinct " + hash + ") from z"));
  }

  /** The native row hash of columns [from, to) of {@code table}, the same on both sides. */
  private static String rowHash(TestDatabase db, String table, int from, int to) throws Exception {
    Layout layout;
    try (Connection c = db.connect()) {
      layout = Describe.relation(c, table);
    }
    List<dev.ferry.record.Column> columns = layout.columns().subList(from, to);
    return dev.ferry.digest.PostgresRowHash.of(columns, columns).texts().get(0);
  }

  @Test
  void sidesSortAlikeOnlyWithAnUnchangedOrderedKey() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("create table n(id bigint primary key, v text)",
        "create table c(id char(4) primary key, v text)",
        "create table u(id uuid primary key, v text)");
    ReconcileSide[] n = sides(pg, "n");
    assertFalse(ReconcileSide.sortedAlike(n[0], n[1]), "a mapping may change the key");
    assertTrue(ReconcileSide.sortedAlike(n[0].withKeyCopiedUnchanged(), n[1]));
    for (String table : List.of("c", "u")) {
      ReconcileSide[] s = sides(pg, table);
      assertFalse(ReconcileSide.sortedAlike(s[0].withKeyCopiedUnchanged(), s[1]), table);
    }
  }

  private static JdbcEndpoint endpoint(TestDatabase db) {
    return new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
  }

  @Test
  void mariaDbChecksumsInSqlEqualThePipelines() throws Exception {
    TestDatabase maria = EmbeddedDatabases.newMariaDb();
    fill(maria, "create table t(id bigint primary key, s varchar(20), n decimal(8,2),"
        + " b tinyint(1), ts datetime(6), d date)", "insert into t values (%d, %s, %s, %s,"
        + " timestamp('2024-01-01 00:00:00.123456') + interval %d minute, current_date)");
    checksumsInSqlEqualThePipelines(maria);
  }

  private static RowDigest row(RowCanonicalizer canon, Object... values) {
    return canon.digest(values, 0, Bucketing.byKeyHash(1)).getValue();
  }

  @Test
  void classifiesEveryKindOfKey() {
    Layout layout = new Layout(List.of(
        new dev.ferry.record.Column("id", java.sql.Types.BIGINT, "int8", 0, 0, false),
        new dev.ferry.record.Column("v", java.sql.Types.VARCHAR, "text", 0, 0, true)));
    RowCanonicalizer canon = RowCanonicalizer.of(layout, dev.ferry.jdbc.Dialect.POSTGRESQL,
        List.of("id"), CanonicalRules.exact(), Set.of());
    List<KV<String, RowDigest>> source = new ArrayList<>();
    List<KV<String, RowDigest>> target = new ArrayList<>();
    for (long id = 1; id <= 6; id++) {
      String key = canon.key(new Object[] {id, null});
      source.add(KV.of(key, row(canon, id, "x")));
      if (id == 2) {
        continue;
      }
      target.add(KV.of(key, row(canon, id, id == 3 ? "y" : "x")));
      if (id == 4) {
        target.add(KV.of(key, row(canon, id, "x")));
      }
    }
    target.add(KV.of(canon.key(new Object[] {9L, null}), row(canon, 9L, "x")));
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    KvCoder<String, RowDigest> coder = KvCoder.of(StringUtf8Coder.of(), RowDigest.Coder.of());
    PCollectionTuple out = PCollectionTuple
        .of(ClassifyKeys.SOURCE, p.apply("Source", Create.of(source).withCoder(coder)))
        .and(ClassifyKeys.TARGET, p.apply("Target", Create.of(target).withCoder(coder)))
        .apply(ClassifyKeys.comparing(List.of("id", "v"), 0).withJoinPartitions(3));
    PAssert.that(out.get(ClassifyKeys.DIFFERENCES)).containsInAnyOrder(
        new KeyOutcome("n1:2", KeyClass.MISSING, 1, 0, List.of(), null),
        new KeyOutcome("n1:3", KeyClass.MISMATCHED, 1, 1, List.of("v"), null),
        new KeyOutcome("n1:4", KeyClass.DUPLICATE, 1, 2, List.of(), null),
        new KeyOutcome("n1:9", KeyClass.EXTRA, 0, 1, List.of(), null));
    PAssert.that(out.get(ClassifyKeys.FACTS).apply(org.apache.beam.sdk.transforms.Sum
        .longsPerKey())).satisfies(facts -> {
          Map<String, Long> m = new HashMap<>();
          facts.forEach(kv -> m.put(kv.getKey(), kv.getValue()));
          assertEquals(3L, m.get(ReconcileFacts.keys(KeyClass.MATCH)));
          assertEquals(6L, m.get(ReconcileFacts.SOURCE_ROWS_JOINED));
          assertEquals(7L, m.get(ReconcileFacts.TARGET_ROWS_JOINED));
          return null;
        });
    p.run().waitUntilFinish();
  }

  @Test
  void errorRateIntervalIsHonestAtZero() {
    ErrorRate none = ErrorRate.of(0, 1000);
    assertEquals(0, none.rate());
    assertEquals(0, none.low());
    assertTrue(none.high() > 0.003 && none.high() < 0.004, "about 3.84 / n: " + none);
    ErrorRate some = ErrorRate.of(50, 1000);
    assertTrue(some.low() < 0.05 && 0.05 < some.high());
    assertTrue(some.exceeds(0.01) && !some.exceeds(0.05));
  }
}
