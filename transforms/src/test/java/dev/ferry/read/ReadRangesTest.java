package dev.ferry.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.SourceRelation;
import dev.ferry.record.Chunk;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class ReadRangesTest {

  static Layout layout(TestDatabase db, String table) throws Exception {
    try (Connection c = db.connect()) {
      return Describe.relation(c, db.engine() == TestDatabase.Engine.POSTGRESQL
          ? "\"" + table + "\"" : "`" + table + "`");
    }
  }

  @Test
  void chunksAreNumberedInKeyOrderAndTheLastIsMarked() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE t (id int PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 25) g");
    JdbcEndpoint endpoint = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    SourceRelation relation = SourceRelation.table(List.of("t"), List.of("id"));
    KeyRange low = KeyRange.between(0, null, new Object[] {21L}, 20);
    KeyRange high = KeyRange.between(1, new Object[] {21L}, new Object[] {100L}, 5);
    KeyRange empty = KeyRange.between(2, new Object[] {100L}, null, 0);
    // The low range resumes after id 10, as if chunk 1 had been committed before a crash.
    List<RangeTask> tasks = List.of(new RangeTask(low, 1, KeyCodec.encode(new Object[] {10L})),
        RangeTask.fresh(high), RangeTask.fresh(empty));

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<Chunk> chunks = p
        .apply(Create.of(tasks).withCoder(SerializableCoder.of(RangeTask.class)))
        .apply(ReadRanges.from(endpoint, relation, layout(db, "t")).withChunkSize(4));
    PAssert.that(chunks).satisfies(all -> {
      List<String> seen = new ArrayList<>();
      for (Chunk c : all) {
        seen.add(c.range() + ":" + c.seq() + ":" + c.source().size() + (c.last() ? "L" : ""));
        if (c.range() == 0 && c.seq() == 2) {
          assertEquals(11L, c.source().get(0).get(0), "resumed after the checkpoint key");
          assertEquals(KeyCodec.encode(new Object[] {14L}), c.lastKey());
        }
        if (c.range() == 2) {
          assertNull(c.lastKey());
        }
      }
      seen.sort(String::compareTo);
      // low: ids 11..20 in chunks 2,3,4 (4+4+2); high: 21..25 in 1,2 (4+1); empty: one last chunk
      assertEquals(List.of("0:2:4", "0:3:4", "0:4:2L", "1:1:4", "1:2:1L", "2:1:0L"), seen);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void mysqlZeroDatesAreDeadLetteredOrNulledByChoice() throws Exception {
    TestDatabase db = EmbeddedDatabases.newMariaDb();
    db.execute("SET SESSION sql_mode = ''",
        "CREATE TABLE z (id int PRIMARY KEY, d DATE, ts DATETIME)");
    try (Connection c = db.connect(); var s = c.createStatement()) {
      s.execute("SET SESSION sql_mode = ''");
      s.execute("INSERT INTO z VALUES (1, '2024-02-29', '2024-02-29 10:11:12'),"
          + " (2, '0000-00-00', '2024-01-01 00:00:00'), (3, '2024-01-01', '0000-00-00 00:00:00')");
    }
    JdbcEndpoint endpoint = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    SourceRelation relation = SourceRelation.table(List.of("z"), List.of("id"));
    Layout layout = layout(db, "z");
    for (boolean asNull : new boolean[] {false, true}) {
      TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
      PCollection<Chunk> chunks = p
          .apply(Create.of(RangeTask.fresh(KeyRange.between(0, null, null, 3)))
              .withCoder(SerializableCoder.of(RangeTask.class)))
          .apply(ReadRanges.from(endpoint, relation, layout).withZeroDatesAsNull(asNull));
      PAssert.thatSingleton(chunks).satisfies(c -> {
        assertEquals(3, c.rowsRead());
        assertEquals(LocalDate.of(2024, 2, 29), c.source().get(0).get(1));
        if (asNull) {
          assertEquals(3, c.source().size());
          assertNull(c.source().get(1).get(1));
          assertNull(c.source().get(2).get(2));
        } else {
          assertEquals(1, c.source().size());
          assertEquals(2, c.rejected().size());
          DeadLetter first = c.rejected().get(0);
          assertEquals("{\"id\":2}", first.key());
          assertEquals("d", first.column());
          assertEquals(DeadLetter.Stage.READ, first.stage());
          assertTrue(first.error().contains("table z, column d: zero date '0000-00-00'"),
              first.error());
          assertTrue(first.sourceRow().contains("\"d\":\"0000-00-00\""), first.sourceRow());
        }
        return null;
      });
      p.run().waitUntilFinish();
    }
  }
}
