package dev.ferry.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.ferry.record.Layout;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import dev.ferry.write.TargetTable;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * Profiles real tables seeded with every finding and checks each reported number against what
 * SQL says about the same table. Small chunks make duplicate keys straddle chunk edges.
 */
class ProfileRowsTest {
  private static final int ROWS = 5000;
  private static final int CHUNK = 100;

  @Test
  void profilesEveryColumnAndFindingOfAPostgresTable() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE t (id bigint, name text, code varchar(20), amount numeric(12,3),"
            + " bio text, doc jsonb, blob bytea, birthday date, created_at timestamp,"
            + " seen_at timestamptz)",
        "INSERT INTO t SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'name-' || g END,"
            + " CASE WHEN g % 250 = 0 THEN 'code-too-long' ELSE 'c' || (g % 7) END,"
            + " CASE WHEN g % 400 = 0 THEN g + 0.125 ELSE g * 1.5 END,"
            + " CASE g % 100 WHEN 1 THEN 'CafÃ©' WHEN 2 THEN E'Caf\\uFFFD' WHEN 3 THEN"
            + " E'smart\\u0093quote' ELSE 'Café ' || (g % 13) END,"
            + " CASE WHEN g % 500 = 0 THEN jsonb_build_object('k', repeat('x', 2000))"
            + " ELSE jsonb_build_object('k', g) END,"
            + " CASE WHEN g % 3 = 0 THEN NULL ELSE decode(repeat('ab', g % 50), 'hex') END,"
            + " CASE WHEN g % 1000 = 7 THEN date '0500-01-01' WHEN g = 8 THEN 'infinity'::date"
            + " ELSE date '1980-01-01' + g END,"
            + " now() - (g % 120) * interval '1 day' - interval '1 hour', now()"
            + " FROM generate_series(1, " + ROWS + ") g",
        // duplicates straddling chunk edges (100 rows per chunk) and rows without a key
        "INSERT INTO t SELECT * FROM t WHERE id IN (10, 100, 250)",
        "INSERT INTO t SELECT * FROM t WHERE id = 100 LIMIT 1",
        "INSERT INTO t SELECT * FROM t WHERE id = 250 LIMIT 1",
        "INSERT INTO t SELECT * FROM t WHERE id = 250 LIMIT 1",
        "INSERT INTO t SELECT * FROM t WHERE id = 250 LIMIT 1",
        "INSERT INTO t (id, name) VALUES (NULL, 'no key'), (NULL, 'no key either')",
        "CREATE TABLE target (id bigint primary key, name text, code varchar(10),"
            + " amount numeric(10,2), bio text, doc jsonb, blob bytea, birthday date,"
            + " created_at timestamp, seen_at timestamptz)");
    Expected e = new Expected();
    e.rows = db.count("t");
    e.nameNulls = count(db, "name IS NULL");
    e.nameDistinct = count(db, "true", "count(DISTINCT name)");
    e.nameMin = (String) db.scalar("SELECT min(name COLLATE \"C\") FROM t");
    e.nameMax = (String) db.scalar("SELECT max(name COLLATE \"C\") FROM t");
    e.nameMaxLength = count(db, "true", "max(octet_length(name))");
    e.nameP99 = count(db, "name IS NOT NULL",
        "percentile_disc(0.99) WITHIN GROUP (ORDER BY octet_length(name))");
    e.docTotalBytes = count(db, "true", "sum(octet_length(doc::text))");
    e.docMaxLength = count(db, "true", "max(octet_length(doc::text))");
    e.docLarge = count(db, "octet_length(doc::text) > 1000");
    e.blobNulls = count(db, "blob IS NULL");
    e.blobMaxLength = count(db, "true", "max(octet_length(blob))");
    e.blobP99 = count(db, "blob IS NOT NULL",
        "percentile_disc(0.99) WITHIN GROUP (ORDER BY octet_length(blob))");
    e.amountMin = db.scalar("SELECT min(amount) FROM t").toString();
    e.amountMax = db.scalar("SELECT max(amount) FROM t").toString();
    e.mojibake = count(db, "bio = 'CafÃ©'");
    e.invalidEncoding = count(db, "bio LIKE E'%\\uFFFD%' OR bio LIKE E'%\\u0093%'");
    e.outOfRangeDates = count(db, "birthday < date '1000-01-01' OR birthday = 'infinity'");
    e.createdAtValues = count(db, "created_at IS NOT NULL");
    e.codeTooLong = count(db, "char_length(code) > 10");
    e.amountTooPrecise = count(db, "char_length(code) <= 10 AND amount <> round(amount, 2)");

    JdbcEndpoint source = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    SourceRelation relation = SourceRelation.table(List.of("t"), List.of("id"));
    Layout layout = layout(source, relation);
    TargetTable target = TargetTable.describe(source, List.of("target"), layout.names(),
        List.of("id"));
    TargetFit fit = TargetFit.of(RecordMapper.compile(MappingSpec.identity(), layout), target,
        source.dialect(), source.dialect());
    // Same type and no shorter, copied as is: every value fits. The narrower code and amount,
    // the id that becomes NOT NULL and the times stay checked value by value.
    assertEquals(List.of("name", "bio", "doc", "blob"), fit.fitByType());

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<TableProfile> profile = p
        .apply(Create.of(tasks(source, relation, 8)).withCoder(
            SerializableCoder.of(RangeTask.class)))
        .apply(ReadRanges.from(source, relation, layout).withChunkSize(CHUNK))
        .apply(ProfileRows.of(layout, List.of("id")).withLargeValueBytes(1000)
            .withExampleKeys(3).withTargetFit(fit));
    PAssert.thatSingleton(profile).satisfies(checks(e));
    p.run().waitUntilFinish();
  }

  /** What SQL says about the seeded table; the profile must report the same. */
  private static final class Expected implements java.io.Serializable {
    long rows;
    long nameNulls;
    long nameDistinct;
    String nameMin;
    String nameMax;
    long nameMaxLength;
    long nameP99;
    long docTotalBytes;
    long docMaxLength;
    long docLarge;
    long blobNulls;
    long blobMaxLength;
    long blobP99;
    String amountMin;
    String amountMax;
    long mojibake;
    long invalidEncoding;
    long outOfRangeDates;
    long createdAtValues;
    long codeTooLong;
    long amountTooPrecise;
  }

  private static SerializableFunction<TableProfile, Void> checks(Expected e) {
    return profile -> {
      assertEquals(e.rows, profile.rowsRead);
      assertEquals(e.rows, profile.rowsProfiled);
      ColumnProfile name = profile.column("name");
      assertEquals(e.nameNulls, name.nulls);
      assertEquals((double) e.nameNulls / e.rows, name.nullRate, 1e-9);
      assertEquals(e.nameDistinct, name.distinct, e.nameDistinct * 0.01);
      assertEquals(e.nameMin, name.min);
      assertEquals(e.nameMax, name.max);
      assertEquals(e.nameMaxLength, name.maxLength);
      assertEquals(e.nameP99, name.p99Length);
      assertEquals("text", name.type);
      ColumnProfile id = profile.column("id");
      assertEquals(2, id.nulls);
      assertEquals(ROWS, id.distinct, ROWS * 0.01);
      assertEquals("1", id.min);
      assertEquals(String.valueOf(ROWS), id.max);
      assertNull(id.maxLength, "numbers have no length");
      ColumnProfile doc = profile.column("doc");
      assertEquals(e.docTotalBytes, doc.totalBytes);
      assertEquals(e.docMaxLength, doc.maxLength);
      assertEquals(e.docLarge, doc.largeValues);
      assertTrue(doc.largeObjects);
      ColumnProfile blob = profile.column("blob");
      assertEquals(e.blobNulls, blob.nulls);
      assertEquals(e.blobMaxLength, blob.maxLength);
      assertEquals(e.blobP99, blob.p99Length);
      assertFalse(blob.largeObjects);
      assertEquals(e.amountMin, profile.column("amount").min);
      assertEquals(e.amountMax, profile.column("amount").max);

      Finding duplicates = profile.finding(FindingKind.DUPLICATE_KEY, null);
      assertEquals(3, duplicates.count, "id 10, 100 and 250 occur more than once");
      assertEquals(2 + 3 + 5, duplicates.rows);
      assertEquals("[{\"id\":10} (2 rows), {\"id\":100} (3 rows), {\"id\":250} (5 rows)]",
          duplicates.examples.toString());
      assertEquals(2, profile.finding(FindingKind.NULL_KEY, null).count);
      assertEquals("[{\"id\":null}]",
          profile.finding(FindingKind.NULL_KEY, null).examples.toString());
      Finding mojibake = profile.finding(FindingKind.MOJIBAKE, "bio");
      assertEquals(e.mojibake, mojibake.count);
      assertEquals("[{\"id\":1}, {\"id\":101}, {\"id\":201}]", mojibake.examples.toString());
      Finding invalid = profile.finding(FindingKind.INVALID_ENCODING, "bio");
      assertEquals(e.invalidEncoding, invalid.count);
      assertEquals("[{\"id\":2}, {\"id\":3}, {\"id\":102}]", invalid.examples.toString());
      Finding dates = profile.finding(FindingKind.OUT_OF_RANGE_DATE, "birthday");
      assertEquals(e.outOfRangeDates, dates.count);
      assertEquals("{\"id\":7} (year 500)", dates.examples.get(0).toString());
      assertEquals(e.createdAtValues,
          profile.finding(FindingKind.ZONELESS_TIMESTAMP, "created_at").count);
      assertNull(profile.finding(FindingKind.ZONELESS_TIMESTAMP, "seen_at"), "timestamptz");
      assertEquals(e.docLarge, profile.finding(FindingKind.LARGE_VALUE, "doc").count);
      assertEquals("{\"id\":500}", profile.finding(FindingKind.LARGE_VALUE, "doc")
          .examples.get(0).key);
      Finding tooLong = profile.finding(FindingKind.WILL_NOT_FIT, "code");
      assertEquals(e.codeTooLong, tooLong.count);
      assertEquals("{\"id\":250}", tooLong.examples.get(0).key);
      assertEquals("column code: text of 13 characters does not fit in 10",
          tooLong.examples.get(0).detail);
      assertEquals(e.amountTooPrecise,
          profile.finding(FindingKind.WILL_NOT_FIT, "amount").count);
      assertEquals(2, profile.finding(FindingKind.WILL_NOT_FIT, "id").count,
          "NULL keys into the NOT NULL primary key");
      assertEquals(10, profile.findings.size(), profile.findings.toString());
      return null;
    };
  }

  @Test
  void countsZeroDatesAndUnreadableValuesWhichTheReaderRejects() throws Exception {
    TestDatabase db = EmbeddedDatabases.newMariaDb();
    db.execute("SET SESSION sql_mode = ''",
        "CREATE TABLE legacy (id INT PRIMARY KEY, born DATE, updated DATETIME, note TEXT)");
    try (Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_mode = ''");
      s.execute("INSERT INTO legacy VALUES (1, '2001-02-03', '2020-01-01 10:00:00', 'ok'),"
          + " (2, '0000-00-00', '2020-01-01 10:00:00', 'CafÃ©'),"
          + " (3, '2001-00-00', '2020-01-01 10:00:00', 'ok'),"
          + " (4, '2001-02-03', '0000-00-00 00:00:00', 'ok'), (5, NULL, NULL, NULL)");
    }
    JdbcEndpoint source = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    SourceRelation relation = SourceRelation.table(List.of("legacy"), List.of("id"));
    Layout layout = layout(source, relation);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<TableProfile> profile = p
        .apply(Create.of(tasks(source, relation, 2)).withCoder(
            SerializableCoder.of(RangeTask.class)))
        .apply(ReadRanges.from(source, relation, layout))
        .apply(ProfileRows.of(layout, List.of("id")));
    PAssert.thatSingleton(profile).satisfies(pr -> {
      assertEquals(5, pr.rowsRead);
      assertEquals(2, pr.rowsProfiled, "rows with zero dates are not readable as values");
      Finding born = pr.finding(FindingKind.ZERO_DATE, "born");
      assertEquals(2, born.count);
      assertEquals("[{\"id\":2}, {\"id\":3}]", born.examples.stream().map(x -> x.key)
          .toList().toString());
      assertTrue(born.examples.get(0).detail.startsWith("zero date '0000-00-00'"));
      assertEquals(1, pr.finding(FindingKind.ZERO_DATE, "updated").count);
      assertEquals(1, pr.finding(FindingKind.ZONELESS_TIMESTAMP, "updated").count);
      assertEquals(1, pr.column("born").nulls);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void postgresNanAndInfinityAreFindingsNotFailures() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE m (id int PRIMARY KEY, x numeric, t timestamp)",
        "INSERT INTO m VALUES (1, 1.5, '2020-01-01'), (2, 'NaN', '2020-01-01'),"
            + " (3, 2, 'infinity'), (4, 3, '-infinity')");
    JdbcEndpoint source = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    SourceRelation relation = SourceRelation.table(List.of("m"), List.of("id"));
    Layout layout = layout(source, relation);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<TableProfile> profile = p
        .apply(Create.of(tasks(source, relation, 1)).withCoder(
            SerializableCoder.of(RangeTask.class)))
        .apply(ReadRanges.from(source, relation, layout))
        .apply(ProfileRows.of(layout, List.of("id")));
    PAssert.thatSingleton(profile).satisfies(pr -> {
      assertEquals(4, pr.rowsRead);
      assertEquals(1, pr.rowsProfiled);
      assertEquals(1, pr.finding(FindingKind.UNREADABLE_VALUE, "x").count);
      assertEquals(2, pr.finding(FindingKind.OUT_OF_RANGE_DATE, "t").count);
      assertEquals("{\"id\":2}", pr.finding(FindingKind.UNREADABLE_VALUE, "x").examples
          .get(0).key);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void refusesInvalidSettings() {
    Layout layout = new Layout(List.of(new dev.ferry.record.Column("id", java.sql.Types.BIGINT,
        "int8", 19, 0, false)));
    assertThrows(NullPointerException.class, () -> ProfileRows.of(layout, null));
    // No key columns: a table without a key, profiled in one scan.
    assertEquals("the table has no key", ProfileRows.of(layout, List.of())
        .withKeyUnique(true).copyUnsupportedReason(dev.ferry.jdbc.Dialect.POSTGRESQL));
    assertThrows(IllegalArgumentException.class, () -> ProfileRows.of(layout, List.of("nope")));
    ProfileRows rows = ProfileRows.of(layout, List.of("id"));
    assertThrows(IllegalArgumentException.class, () -> rows.withLargeValueBytes(0));
    assertThrows(IllegalArgumentException.class, () -> rows.withExampleKeys(-1));
    assertThrows(IllegalArgumentException.class, () -> rows.withExampleKeys(1001));
  }

  @Test
  void catalogGivesTableBytesAndGrowthOnBothEngines() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("CREATE TABLE orders (id int PRIMARY KEY, created_at timestamptz, note text)",
        "INSERT INTO orders SELECT g, now() - (g % 100) * interval '1 day' - interval '1 hour',"
            + " repeat('n', 100) FROM generate_series(1, 1000) g");
    TestDatabase my = EmbeddedDatabases.newMariaDb();
    my.execute("CREATE TABLE orders (id INT PRIMARY KEY, created DATETIME, note TEXT)",
        "INSERT INTO orders SELECT seq, UTC_TIMESTAMP() - INTERVAL (seq % 100) DAY"
            + " - INTERVAL 1 HOUR, REPEAT('n', 100) FROM seq_1_to_1000",
        "ANALYZE TABLE orders");
    for (TestDatabase db : List.of(pg, my)) {
      JdbcEndpoint endpoint = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
      try (Connection c = endpoint.connect(JdbcEndpoint.Role.SOURCE)) {
        Layout layout = Describe.relation(c, endpoint.dialect().quote("orders"));
        String column = TableCatalog.detectCreatedAt(layout);
        assertEquals(db == pg ? "created_at" : "created", column);
        Growth growth = TableCatalog.growth(c, endpoint.dialect(),
            endpoint.dialect().quote("orders"), column);
        assertEquals(300, growth.rowsLast30Days, "days 0..29 of every 100");
        assertEquals(900, growth.rowsLast90Days);
        assertEquals(10.0, growth.rowsPerDay30, 1e-9);
        assertEquals(10.0, growth.rowsPerDay90, 1e-9);
        OptionalLong bytes = TableCatalog.tableBytes(c, endpoint.dialect(), List.of("orders"));
        Object expected = db == pg
            ? db.scalar("SELECT pg_total_relation_size('orders')")
            : db.scalar("SELECT data_length + index_length FROM information_schema.tables"
                + " WHERE table_schema = DATABASE() AND table_name = 'orders'");
        assertTrue(bytes.getAsLong() > 0);
        assertEquals(((Number) expected).longValue(), bytes.getAsLong());
        assertTrue(TableCatalog.tableBytes(c, endpoint.dialect(), List.of("missing"))
            .isEmpty());
      }
    }
  }

  @Test
  void growthCountedWhileProfilingMatchesTheCatalogQueryForEveryTemporalType() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("CREATE TABLE g (id int PRIMARY KEY, ts timestamp, tstz timestamptz, d date)",
        "INSERT INTO g SELECT n, CASE WHEN n % 50 = 0 THEN NULL"
            + " ELSE localtimestamp - (n % 120) * interval '1 day' + interval '1 hour' END,"
            + " now() - (n % 100) * interval '1 day' - (n % 3) * interval '1 minute',"
            + " CASE WHEN n % 40 = 0 THEN current_date + 1 ELSE current_date - (n % 95) END"
            + " FROM generate_series(1, 1000) n");
    TestDatabase my = EmbeddedDatabases.newMariaDb();
    my.execute("CREATE TABLE g (id INT PRIMARY KEY, ts DATETIME(3), tstz TIMESTAMP NULL, d DATE)",
        "INSERT INTO g SELECT seq, IF(seq % 50 = 0, NULL,"
            + " UTC_TIMESTAMP(3) - INTERVAL (seq % 120) DAY + INTERVAL 1 HOUR),"
            + " NOW() - INTERVAL (seq % 100) DAY - INTERVAL (seq % 3) MINUTE,"
            + " IF(seq % 40 = 0, UTC_DATE() + INTERVAL 1 DAY, UTC_DATE() - INTERVAL (seq % 95) DAY)"
            + " FROM seq_1_to_1000");
    for (TestDatabase db : List.of(pg, my)) {
      JdbcEndpoint source = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
      SourceRelation relation = SourceRelation.table(List.of("g"), List.of("id"));
      Layout layout = layout(source, relation);
      for (String column : List.of("ts", "tstz", "d")) {
        GrowthWindow window;
        Growth bySql;
        try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE)) {
          window = TableCatalog.growthWindow(c, source.dialect(), column);
          bySql = TableCatalog.growth(c, source.dialect(), "g", column);
        }
        assertTrue(bySql.rowsLast30Days > 0 && bySql.rowsLast90Days > bySql.rowsLast30Days);
        TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
        PCollection<TableProfile> profile = p
            .apply(Create.of(tasks(source, relation, 3)).withCoder(
                SerializableCoder.of(RangeTask.class)))
            .apply(ReadRanges.from(source, relation, layout).withChunkSize(CHUNK))
            .apply(ProfileRows.of(layout, List.of("id")).withGrowth(window));
        String where = db.jdbcUrl() + " " + column;
        long last30 = bySql.rowsLast30Days;
        long last90 = bySql.rowsLast90Days;
        PAssert.thatSingleton(profile).satisfies(pr -> {
          assertEquals(column, pr.growth.column, where);
          assertEquals(last30, pr.growth.rowsLast30Days, where);
          assertEquals(last90, pr.growth.rowsLast90Days, where);
          return null;
        });
        p.run().waitUntilFinish();
      }
    }
  }

  @Test
  void catalogProvesAUniqueKeyOnlyByAnIndexWithinTheKey() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("CREATE TABLE a (id int PRIMARY KEY, note text)",
        "CREATE TABLE b (id int, tenant int, code text,"
            + " CONSTRAINT b_tenant_code UNIQUE (tenant, code))",
        "CREATE UNIQUE INDEX b_live_code ON b (code) WHERE tenant > 0",
        "CREATE UNIQUE INDEX b_lower_code ON b (lower(code), id)",
        "CREATE TABLE c (id int, version int)",
        "CREATE UNIQUE INDEX c_id_version ON c (id, version)",
        "CREATE VIEW v AS SELECT * FROM a");
    try (Connection c = pg.connect()) {
      assertEquals("a_pkey", unique(c, Dialect.POSTGRESQL, "a", "id"));
      assertEquals("b_tenant_code", unique(c, Dialect.POSTGRESQL, "b", "tenant", "code"));
      assertEquals("b_tenant_code", unique(c, Dialect.POSTGRESQL, "b", "id", "code", "tenant"),
          "a unique subset makes the whole key unique");
      assertNull(unique(c, Dialect.POSTGRESQL, "b", "code"), "partial index proves nothing");
      assertNull(unique(c, Dialect.POSTGRESQL, "b", "code", "id"),
          "expression index proves nothing");
      assertNull(unique(c, Dialect.POSTGRESQL, "c", "id"), "(id, version) allows equal ids");
      assertEquals("c_id_version", unique(c, Dialect.POSTGRESQL, "c", "id", "version"));
      assertNull(unique(c, Dialect.POSTGRESQL, "v", "id"), "a view has no constraints");
      assertNull(unique(c, Dialect.POSTGRESQL, "missing", "id"));
    }
    TestDatabase my = EmbeddedDatabases.newMariaDb();
    my.execute("CREATE TABLE a (id INT PRIMARY KEY, note TEXT)",
        "CREATE TABLE b (id INT, tenant INT, code VARCHAR(20),"
            + " UNIQUE KEY b_tenant_code (tenant, code))",
        "CREATE TABLE c (id INT, version INT, UNIQUE KEY c_id_version (id, version))");
    try (Connection c = my.connect()) {
      assertEquals("PRIMARY", unique(c, Dialect.MYSQL, "a", "ID"), "names ignore case");
      assertEquals("b_tenant_code", unique(c, Dialect.MYSQL, "b", "code", "tenant"));
      assertNull(unique(c, Dialect.MYSQL, "b", "code"));
      assertNull(unique(c, Dialect.MYSQL, "c", "id"));
    }
  }

  private static String unique(Connection c, Dialect dialect, String table, String... key)
      throws Exception {
    return TableCatalog.uniqueKeyConstraint(c, dialect, List.of(table), List.of(key))
        .orElse(null);
  }

  private static long count(TestDatabase db, String where) {
    return count(db, where, "count(*)");
  }

  private static long count(TestDatabase db, String where, String aggregate) {
    return ((Number) db.scalar("SELECT " + aggregate + " FROM t WHERE " + where)).longValue();
  }

  @Test
  void aTableWithoutRowsHasAProfileOfNoRowsEitherWay() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE nothing (id bigint PRIMARY KEY, name text, at timestamp)");
    JdbcEndpoint source = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    SourceRelation relation = SourceRelation.table(List.of("nothing"), List.of("id"));
    Layout layout = layout(source, relation);
    ProfileRows profileRows = ProfileRows.of(layout, List.of("id")).withKeyUnique(true);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<RangeTask> ranges = p.apply(Create.of(tasks(source, relation, 2)).withCoder(
        SerializableCoder.of(RangeTask.class)));
    SerializableFunction<TableProfile, Void> noRows = pr -> {
      assertEquals(0, pr.rowsRead);
      assertEquals(0, pr.rowsProfiled);
      assertEquals(List.of("id", "name", "at"), pr.columns.stream().map(c -> c.name).toList());
      assertEquals(0, pr.column("name").nulls);
      assertEquals(0, pr.column("name").distinct);
      assertNull(pr.column("name").min);
      assertTrue(pr.findings.isEmpty(), pr.findings.toString());
      return null;
    };
    PAssert.thatSingleton(ranges.apply("Jdbc", ReadRanges.from(source, relation, layout))
        .apply("ProfileJdbc", profileRows)).satisfies(noRows);
    PAssert.thatSingleton(ranges.apply("Copy", profileRows.viaPostgresCopy(source, relation)))
        .satisfies(noRows);
    PAssert.thatSingleton(p.apply("NoRanges", Create.empty(SerializableCoder.of(RangeTask.class)))
        .apply("CopyNoRanges", profileRows.viaPostgresCopy(source, relation))).satisfies(noRows);
    p.run().waitUntilFinish();
  }

  private static Layout layout(JdbcEndpoint source, SourceRelation relation) throws Exception {
    try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE)) {
      return Describe.relation(c, relation.fromClause(source.dialect()));
    }
  }

  private static List<RangeTask> tasks(JdbcEndpoint source, SourceRelation relation,
      int partitions) throws Exception {
    try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE)) {
      List<RangeTask> tasks = new ArrayList<>();
      for (KeyRange r : new KeyRangePlanner(source.dialect(), relation, partitions).plan(c)) {
        tasks.add(RangeTask.fresh(r));
      }
      return tasks;
    }
  }
}
