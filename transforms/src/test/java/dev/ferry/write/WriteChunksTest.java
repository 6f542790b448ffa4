package dev.ferry.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.progress.ProgressStore;
import dev.ferry.plan.KeyRange;
import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkCoder;
import dev.ferry.record.Column;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;

/** Rows the target rejects are dead-lettered one by one; the rest of the chunk is written. */
class WriteChunksTest {
  private static final Layout SOURCE = new Layout(List.of(
      new Column("id", Types.BIGINT, "int8", 19, 0, false),
      new Column("code", Types.VARCHAR, "varchar", 10, 0, true),
      new Column("qty", Types.BIGINT, "int8", 19, 0, true),
      new Column("price", Types.NUMERIC, "numeric", 10, 3, true),
      new Column("parent", Types.BIGINT, "int8", 19, 0, true)));

  private static Record row(long id, String code, Long qty, String price, Long parent) {
    return Record.of(id, code, qty, price == null ? null : new BigDecimal(price), parent);
  }

  @Test
  void postgresRejectionsAreIsolated() throws Exception {
    runRejections(EmbeddedDatabases.newPostgres(),
        "CREATE TABLE parent (id bigint PRIMARY KEY)",
        "CREATE TABLE item (id bigint PRIMARY KEY, code varchar(3) NOT NULL, qty int"
            + " CHECK (qty >= 0), price numeric(6,2), parent bigint REFERENCES parent(id))");
  }

  @Test
  void mariaDbRejectionsAreIsolated() throws Exception {
    runRejections(EmbeddedDatabases.newMariaDb(),
        "CREATE TABLE parent (id bigint PRIMARY KEY) ENGINE=InnoDB",
        "CREATE TABLE item (id bigint PRIMARY KEY, code varchar(3) NOT NULL, qty int"
            + " CHECK (qty >= 0), price decimal(6,2), parent bigint,"
            + " FOREIGN KEY (parent) REFERENCES parent(id)) ENGINE=InnoDB");
  }

  private void runRejections(TestDatabase db, String... ddl) throws Exception {
    db.execute(ddl);
    db.execute("INSERT INTO parent VALUES (1)");
    JdbcEndpoint endpoint = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    Layout targetLayout;
    try (Connection c = db.connect()) {
      targetLayout = Describe.relation(c, endpoint.dialect().quote("item"));
    }
    TargetTable table = TargetTable.describe(endpoint, List.of("item"), targetLayout.names(),
        List.of("id"));
    ProgressStore store = new ProgressStore(endpoint, List.of());
    store.ensureTables();
    store.planOrResume("job", "fp", () -> List.of(KeyRange.between(0, null, null, 200)));

    List<Record> rows = new ArrayList<>();
    for (long id = 1; id <= 200; id++) {
      rows.add(row(id, "ok", 1L, "1.50", 1L));
    }
    rows.set(9, row(10, "toolong", 1L, "1.50", 1L));      // longer than varchar(3)
    rows.set(19, row(20, null, 1L, "1.50", 1L));          // NULL into NOT NULL
    rows.set(29, row(30, "ok", -5L, "1.50", 1L));         // check constraint
    rows.set(39, row(40, "ok", 1L, "1.50", 99L));         // foreign key
    rows.set(49, row(50, "ok", 1L, "1.505", 1L));         // would be rounded
    rows.set(59, row(60, "ok", 3_000_000_000L, "1", 1L)); // out of int range
    rows.set(69, row(70, "ok", 1L, "123456.78", 1L));     // too many integer digits
    Chunk chunk = new Chunk(0, 1, true, KeyCodec.encode(new Object[] {200L}), 200, rows, rows,
        List.of());

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    p.apply(Create.of(chunk).withCoder(ChunkCoder.of()))
        .apply(WriteChunks.into(endpoint, table, SOURCE, List.of("id")).forJob("job", "fp", "r1"));
    p.run().waitUntilFinish();

    assertEquals(193L, db.count("item"));
    List<List<Object>> dead = db.query("SELECT row_key, stage, column_name, error FROM"
        + " ferry_dead_letter ORDER BY key_hash");
    List<String> keys = dead.stream().map(r -> (String) r.get(0)).sorted()
        .collect(Collectors.toList());
    assertEquals(List.of("{\"id\":10}", "{\"id\":20}", "{\"id\":30}", "{\"id\":40}",
        "{\"id\":50}", "{\"id\":60}", "{\"id\":70}"), keys);
    for (List<Object> d : dead) {
      assertEquals("write", d.get(1));
      String key = (String) d.get(0);
      String error = (String) d.get(3);
      if (key.equals("{\"id\":10}")) {
        assertEquals("code", d.get(2));
        assertTrue(error.contains("does not fit in 3"), error);
      } else if (key.equals("{\"id\":50}")) {
        assertEquals("price", d.get(2));
        assertTrue(error.contains("would round"), error);
      } else if (key.equals("{\"id\":40}") || key.equals("{\"id\":30}")) {
        assertTrue(error.startsWith("target item rejected the row: "), error);
      }
    }
    ProgressStore.Totals t = store.totals("job", "fp");
    assertEquals(1, t.rangesDone);
    assertEquals(193, t.rowsWritten);
    assertEquals(7, t.rowsDead);
    assertEquals(200, t.rowsRead);
  }

  @Test
  void aRepeatedOrOutOfOrderChunkNeverAdvancesTheCheckpoint() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE item (id bigint PRIMARY KEY, code text, qty int, price numeric,"
        + " parent bigint)");
    JdbcEndpoint endpoint = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    TargetTable table = TargetTable.describe(endpoint, List.of("item"), SOURCE.names(),
        List.of("id"));
    ProgressStore store = new ProgressStore(endpoint, List.of());
    store.ensureTables();
    store.planOrResume("job", "fp", () -> List.of(KeyRange.between(0, null, null, 3)));
    List<Record> one = List.of(row(1, "a", 1L, "1", null));
    List<Record> three = List.of(row(3, "c", 1L, "1", null));
    // Chunk 3 arrives while the checkpoint is at 0: written (idempotent) but not checkpointed.
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    p.apply(Create.of(new Chunk(0, 3, true, KeyCodec.encode(new Object[] {3L}), 1, three, three,
            List.of()), new Chunk(0, 1, false, KeyCodec.encode(new Object[] {1L}), 1, one, one,
            List.of())).withCoder(ChunkCoder.of()))
        .apply(WriteChunks.into(endpoint, table, SOURCE, List.of("id")).forJob("job", "fp", "r"));
    p.run().waitUntilFinish();
    assertEquals(2L, db.count("item"));
    List<List<Object>> progress = db.query("SELECT seq, last_key, done FROM ferry_progress");
    assertEquals(1L, progress.get(0).get(0), "only chunk 1 follows the committed checkpoint");
    assertEquals(KeyCodec.encode(new Object[] {1L}), progress.get(0).get(1));
    assertEquals(false, progress.get(0).get(2));
  }
}
