package dev.ferry.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.SourceRelation;
import dev.ferry.record.Chunk;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** Chunks end at the byte budget; a range read over many calls stays one numbered sequence. */
class ReadRangesBudgetTest {

  @Test
  void chunksEndAtTheByteBudgetAndLargeValuesArriveWhole() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    // 40 rows of 100,000 characters: above the large-value threshold (fetched again by key)
    // and 25 of them make more than the 4 MiB budget (2 bytes per character counted).
    db.execute("CREATE TABLE big (id int PRIMARY KEY, body text, data bytea, doc jsonb)",
        "INSERT INTO big SELECT g, repeat(chr(65 + g % 26), 100000), decode(repeat('ab', g),"
            + " 'hex'), jsonb_build_object('g', g, 'pad', repeat('p', g * 1000))"
            + " FROM generate_series(1, 40) g");
    PCollection<Chunk> chunks = read(db, "big", 1000, 4L << 20);
    PAssert.that(chunks).satisfies(all -> {
      List<Chunk> sorted = sorted(all);
      int rows = 0;
      for (Chunk c : sorted) {
        assertTrue(c.source().size() <= 21, "chunk " + c.seq() + " has " + c.source().size()
            + " rows of 200 kB each");
        for (int r = 0; r < c.source().size(); r++) {
          int id = ((Long) c.source().get(r).get(0)).intValue();
          assertEquals(100000, ((String) c.source().get(r).get(1)).length());
          assertEquals((char) (65 + id % 26), ((String) c.source().get(r).get(1)).charAt(0));
          assertEquals(id, ((byte[]) c.source().get(r).get(2)).length);
          assertTrue(((String) c.source().get(r).get(3)).length() > id * 1000);
          rows++;
        }
      }
      assertEquals(40, rows);
      assertTrue(sorted.size() >= 2, "split by bytes, not by the 1000-row batch size");
      return null;
    });
    chunks.getPipeline().run().waitUntilFinish();
  }

  @Test
  void aRangeReadInManyCallsIsOneUnbrokenSequenceOfChunks() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE t (id int PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 2000) g");
    // 10 rows per chunk: 200 chunks, more than one call emits before it hands back the rest.
    PCollection<Chunk> chunks = read(db, "t", 10, 16L << 20);
    PAssert.that(chunks).satisfies(all -> {
      List<Chunk> sorted = sorted(all);
      // A call that hands back the rest right after chunk 200 leaves the end to be found by the
      // next one, which then emits an empty last chunk 201.
      Chunk end = sorted.get(sorted.size() - 1);
      assertTrue(end.last());
      if (sorted.size() == 201) {
        assertEquals(0, end.source().size());
        sorted.remove(200);
      }
      assertEquals(200, sorted.size());
      long next = 1;
      for (Chunk c : sorted) {
        assertEquals(next, c.seq());
        assertEquals(10, c.source().size());
        assertEquals(next * 10 - 9, ((Long) c.source().get(0).get(0)).longValue());
        assertEquals(KeyCodec.encode(new Object[] {next * 10}), c.lastKey());
        assertTrue(!c.last() || next == 200);
        next++;
      }
      return null;
    });
    chunks.getPipeline().run().waitUntilFinish();
  }

  private static PCollection<Chunk> read(TestDatabase db, String table, int chunkSize,
      long maxChunkBytes) throws Exception {
    JdbcEndpoint endpoint = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    Layout layout;
    try (Connection c = db.connect()) {
      layout = Describe.relation(c, "\"" + table + "\"");
    }
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    return p.apply(Create.of(RangeTask.fresh(KeyRange.between(0, null, null, 0)))
            .withCoder(SerializableCoder.of(RangeTask.class)))
        .apply(ReadRanges.from(endpoint, SourceRelation.table(List.of(table), List.of("id")),
            layout).withChunkSize(chunkSize).withMaxChunkBytes(maxChunkBytes));
  }

  private static List<Chunk> sorted(Iterable<Chunk> all) {
    List<Chunk> list = new ArrayList<>();
    all.forEach(list::add);
    list.sort(Comparator.comparingLong(Chunk::seq));
    return list;
  }
}
