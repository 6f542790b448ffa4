package dev.ferry.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.SourceRelation;
import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkSink;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;

class ReadRangesIntoTest {
  /** What each test's sinks saw, by test, in arrival order; sinks are copies of one instance. */
  private static final Map<String, List<Seen>> SEEN = new ConcurrentHashMap<>();

  /** One chunk as a sink saw it. */
  private static final class Seen {
    final int range;
    final long seq;
    final boolean last;
    final String thread;
    final List<Long> keys = new ArrayList<>();
    final List<Integer> lengths = new ArrayList<>();

    Seen(Chunk c) {
      range = c.range();
      seq = c.seq();
      last = c.last();
      thread = Thread.currentThread().getName();
      if (c.copyText() != null) {
        for (String[] row : c.copyText().values(2)) {
          keys.add(Long.parseLong(row[0]));
          lengths.add(row[1].length());
        }
      } else {
        for (Record r : c.source()) {
          keys.add((Long) r.get(0));
          lengths.add(((String) r.get(1)).length());
        }
      }
    }
  }

  /** Records every chunk; fails with a target-like error on one chunk when asked to. */
  private static final class RecordingSink implements ChunkSink {
    private static final long serialVersionUID = 1L;
    private final String test;
    private final long failOnSeq;

    RecordingSink(String test, long failOnSeq) {
      this.test = test;
      this.failOnSeq = failOnSeq;
    }

    @Override
    public void setup() {}

    @Override
    public void accept(Chunk chunk) throws SQLException {
      if (chunk.seq() == failOnSeq) {
        throw new SQLException("target said no to chunk " + chunk.seq(), "23514");
      }
      SEEN.computeIfAbsent(test, t -> Collections.synchronizedList(new ArrayList<>()))
          .add(new Seen(chunk));
    }

    @Override
    public void teardown() {}
  }

  @Test
  void everyChunkOfARangeReachesTheSinkOnceInOrderOnOneThread() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    // Every 97th row holds a value above the large-value threshold: COPY stops there, one chunk
    // is read as values (the value fetched by key), then COPY goes on.
    db.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, CASE WHEN g % 97 = 0 THEN repeat('x', 40000)"
            + " ELSE 'v' || g END FROM generate_series(1, 1200) g");
    JdbcEndpoint endpoint = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    Layout layout = ReadRangesTest.layout(db, "t");
    // Range 0 resumes after id 100, as if its first chunk had been committed before a crash.
    List<RangeTask> tasks = List.of(
        new RangeTask(KeyRange.between(0, null, new Object[] {501L}, 500), 1,
            KeyCodec.encode(new Object[] {100L})),
        RangeTask.fresh(KeyRange.between(1, new Object[] {501L}, new Object[] {1001L}, 500)),
        RangeTask.fresh(KeyRange.between(2, new Object[] {1001L}, null, 200)));

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    p.apply(Create.of(tasks).withCoder(SerializableCoder.of(RangeTask.class)))
        .apply(ReadRanges.from(endpoint, SourceRelation.table(List.of("t"), List.of("id")),
                layout).withChunkSize(40).withMaxChunkBytes(65_536).withCopyText()
            .into(new RecordingSink("order", -1)));
    p.run().waitUntilFinish();

    long[][] expectedIds = {{101, 500}, {501, 1000}, {1001, 1200}};
    for (int range = 0; range < 3; range++) {
      List<Seen> chunks = new ArrayList<>();
      for (Seen s : SEEN.get("order")) {
        if (s.range == range) {
          chunks.add(s);
        }
      }
      List<Long> keys = new ArrayList<>();
      long seq = range == 0 ? 1 : 0;
      for (int i = 0; i < chunks.size(); i++) {
        Seen s = chunks.get(i);
        assertEquals(++seq, s.seq, "range " + range + ": chunks in sequence");
        assertEquals(i == chunks.size() - 1, s.last, "range " + range + ": only the final is last");
        assertEquals(chunks.get(0).thread, s.thread, "range " + range + ": one thread");
        keys.addAll(s.keys);
        for (int k = 0; k < s.keys.size(); k++) {
          long id = s.keys.get(k);
          assertEquals(id % 97 == 0 ? 40000 : ("v" + id).length(), s.lengths.get(k),
              "value of id " + id);
        }
      }
      List<Long> expected = new ArrayList<>();
      for (long id = expectedIds[range][0]; id <= expectedIds[range][1]; id++) {
        expected.add(id);
      }
      assertEquals(expected, keys, "range " + range + ": every row once, in key order");
    }
  }

  @Test
  void aSinkErrorFailsTheStepAsItselfNotAsAReadError() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 100) g");
    JdbcEndpoint endpoint = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    Layout layout = ReadRangesTest.layout(db, "t");
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    p.apply(Create.of(RangeTask.fresh(KeyRange.between(0, null, null, 100)))
            .withCoder(SerializableCoder.of(RangeTask.class)))
        .apply(ReadRanges.from(endpoint, SourceRelation.table(List.of("t"), List.of("id")),
            layout).withChunkSize(10).into(new RecordingSink("failure", 3)));

    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());

    boolean found = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      found |= t instanceof SQLException && t.getMessage().equals("target said no to chunk 3");
      assertFalse(String.valueOf(t.getMessage()).contains("reading"), t.getMessage());
    }
    assertTrue(found, "the sink's own SQLException is the cause");
    assertEquals(2, SEEN.get("failure").size(), "chunks 1 and 2 were handed over");
  }
}
