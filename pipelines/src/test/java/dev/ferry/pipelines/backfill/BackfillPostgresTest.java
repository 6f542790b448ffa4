package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL to PostgreSQL with a schema change, re-runs, catch-up and dead letters. */
class BackfillPostgresTest {
  @TempDir Path tmp;

  private static final String MAPPING = String.join("\n",
      "passthrough: false",
      "columns:",
      "  - {name: order_id, from: id}",
      "  - {name: customer, concat: [first_name, last_name], separator: ' '}",
      "  - {name: email, ops: [trim, lower]}",
      "  - {name: placed_at, from: placed, fromZone: America/New_York}",
      "  - {name: total, from: total_text, cast: numeric}",
      "  - {name: note, repairEncoding: true}",
      "  - {name: payload}",
      "  - {name: source, constant: shop-v1}");

  private TestDatabase seedSource(int rows) {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE orders (id bigint PRIMARY KEY, first_name text, last_name text,"
            + " email varchar(100), placed timestamp, total_text text, note text, payload json,"
            + " updated_at timestamp NOT NULL DEFAULT now())",
        "INSERT INTO orders SELECT g, 'Zoë', CASE WHEN g % 5 = 0 THEN NULL ELSE 'Nowak' END,"
            + " '  U' || g || '@X.COM ', timestamp '2024-03-09 12:00' + g * interval '1 minute',"
            + " (g % 1000) || '.50', CASE WHEN g % 3 = 0 THEN 'CafÃ© ' || g ELSE NULL END,"
            + " ('{\"n\": ' || g || ', \"tags\": [\"a\"]}')::json, timestamp '2024-01-01'"
            + " FROM generate_series(1, " + rows + ") g");
    return src;
  }

  private static TestDatabase target() {
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE orders (order_id bigint PRIMARY KEY, customer text NOT NULL,"
        + " email varchar(60), placed_at timestamptz, total numeric(8,2), note text,"
        + " payload jsonb, source text NOT NULL)");
    return dst;
  }

  @Test
  void copiesWithSchemaChangeRowByRow() throws Exception {
    TestDatabase src = seedSource(5000);
    src.execute("UPDATE orders SET total_text = 'n/a' WHERE id = 77");
    TestDatabase dst = target();
    Path mapping = Files.writeString(tmp.resolve("mapping.yaml"), MAPPING);
    Path deadLetters = tmp.resolve("dead.jsonl");
    Path summaryFile = tmp.resolve("summary.json");
    RunSummary s = Backfills.run(Backfills.flags("pg", src, dst, "orders"),
        "--mappingFile=" + mapping, "--maxDeadLetters=61", "--deadLetterFile=" + deadLetters,
        "--summaryFile=" + summaryFile);
    assertEquals(0, s.exitCode, s.error);
    assertEquals(5000, s.rowsRead);
    // Rejected: id 77 ('n/a' is no number) and the 60 minutes from 02:00 to 02:59 on
    // 2024-03-10, which do not exist in New York (clocks jumped to 03:00).
    assertEquals(4939, s.rowsWritten);
    assertEquals(61, s.jobRowsDeadLettered);
    assertEquals(4939L, dst.count("orders"));
    assertEquals(60L, dst.scalar("SELECT count(*) FROM ferry_dead_letter WHERE column_name ="
        + " 'placed_at' AND error LIKE '%local time 2024-03-10T02:__ does not exist in"
        + " America/New_York%'"));

    // Every row against the value it must have become, computed independently in SQL.
    Object mismatches = dst.scalar("SELECT count(*) FROM orders o JOIN (SELECT g AS id,"
        + " CASE WHEN g % 5 = 0 THEN 'Zoë' ELSE 'Zoë Nowak' END AS customer,"
        + " 'u' || g || '@x.com' AS email,"
        + " (timestamp '2024-03-09 12:00' + g * interval '1 minute') AT TIME ZONE"
        + " 'America/New_York' AS placed_at, ((g % 1000) || '.50')::numeric AS total,"
        + " CASE WHEN g % 3 = 0 THEN 'Café ' || g ELSE NULL END AS note,"
        + " ('{\"tags\": [\"a\"], \"n\": ' || g || '}')::jsonb AS payload"
        + " FROM generate_series(1, 5000) g) e ON e.id = o.order_id"
        + " WHERE (o.customer, o.email, o.placed_at, o.total, o.note, o.payload, o.source)"
        + " IS DISTINCT FROM (e.customer, e.email, e.placed_at, e.total, e.note, e.payload,"
        + " 'shop-v1')");
    assertEquals(0L, mismatches);
    // The DST change in New York on 2024-03-10: 01:59 EST is 06:59Z, 03:00 EDT is 07:00Z.
    assertEquals("2024-03-10 06:59:00+00", dst.scalar("SELECT placed_at::text FROM orders"
        + " WHERE order_id = (SELECT min(order_id) FROM orders WHERE placed_at >="
        + " '2024-03-10 06:59Z')"));

    String dead = Files.readString(deadLetters);
    assertTrue(dead.contains("\"key\":{\"id\":77}"), dead);
    assertTrue(dead.contains("\"stage\":\"map\""), dead);
    assertTrue(dead.contains("\"column\":\"total\""), dead);
    assertTrue(dead.contains("cannot convert String 'n/a' to a decimal"), dead);
    assertTrue(dead.contains("\"sourceRow\":{\"id\":77,"), dead);
    assertTrue(Files.readString(summaryFile).contains("\"rowsWritten\" : 4939"));
  }

  @Test
  void reRunIsANoOpAndTooManyDeadLettersFail() throws Exception {
    TestDatabase src = seedSource(3000);
    TestDatabase dst = target();
    Path mapping = Files.writeString(tmp.resolve("mapping.yaml"), MAPPING);
    List<String> flags = Backfills.flags("rerun", src, dst, "orders");
    flags.add("--mappingFile=" + mapping);
    flags.add("--maxDeadLetters=60");
    assertEquals(0, Backfills.run(flags).exitCode);
    List<List<Object>> before = dst.query("SELECT order_id, xmin::text FROM orders ORDER BY 1");

    RunSummary again = Backfills.run(flags);
    assertEquals(0, again.exitCode);
    assertEquals(0, again.rowsRead, "a finished job has nothing left to read");
    // Even a forced full re-copy leaves identical rows untouched: no new row versions.
    RunSummary forced = Backfills.run(flags, "--restart");
    assertEquals(0, forced.exitCode, forced.error);
    assertEquals(3000, forced.rowsRead);
    assertEquals(before, dst.query("SELECT order_id, xmin::text FROM orders ORDER BY 1"));
    assertEquals(2940L, dst.count("orders"));

    src.execute("UPDATE orders SET total_text = 'x' WHERE id IN (1, 2)");
    RunSummary tooMany = Backfills.run(flags, "--restart");
    assertEquals(ExitCodes.TOO_MANY_DEAD_LETTERS, tooMany.exitCode);
    assertEquals(62, tooMany.jobRowsDeadLettered);
  }

  @Test
  void catchUpCopiesOnlyRowsChangedSinceTheLastRun() throws Exception {
    TestDatabase src = seedSource(2000);
    TestDatabase dst = target();
    Path mapping = Files.writeString(tmp.resolve("mapping.yaml"), MAPPING);
    List<String> flags = Backfills.flags("catchup", src, dst, "orders");
    flags.add("--mappingFile=" + mapping);
    flags.add("--maxDeadLetters=60");
    flags.add("--sinceColumn=updated_at");
    RunSummary full = Backfills.run(flags);
    assertEquals(0, full.exitCode, full.error);
    assertTrue(full.watermark.contains("2024-01-01T00:00"), full.watermark);

    src.execute("UPDATE orders SET email = 'changed@x.com', updated_at = '2024-02-01'"
            + " WHERE id IN (5, 6)",
        "INSERT INTO orders VALUES (9001, 'New', 'Row', 'n@x.com', '2024-02-01', '1.00', NULL,"
            + " '{}', '2024-02-02')");
    RunSummary catchUp = Backfills.run(flags, "--since=last");
    assertEquals(0, catchUp.exitCode, catchUp.error);
    // The watermark is inclusive, so rows stamped exactly at it are copied again (all 2000
    // seeded rows share it) plus the new row. Idempotent, never missed.
    assertEquals(2001, catchUp.rowsRead);
    assertEquals("changed@x.com", dst.scalar("SELECT email FROM orders WHERE order_id = 5"));
    assertEquals(1941L, dst.count("orders"));

    RunSummary next = Backfills.run(flags, "--since=last");
    assertEquals(0, next.exitCode, next.error);
    assertEquals(1, next.rowsRead, "only the row at the new watermark");
  }

  @Test
  void enumTargetColumnsTakeTextAndRejectUnknownLabels() {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE t (id int PRIMARY KEY, state text)",
        "INSERT INTO t VALUES (1, 'open'), (2, 'closed'), (3, 'lost')");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TYPE state AS ENUM ('open', 'closed')",
        "CREATE TABLE t (id int PRIMARY KEY, state state)");
    // Three rows take the row-by-row path (COPY starts at 64), where the enum is bound untyped.
    RunSummary s = Backfills.run(Backfills.flags("enum", src, dst, "t"), "--maxDeadLetters=1");
    assertEquals(0, s.exitCode, s.error);
    assertEquals(List.of(List.of(1, "open"), List.of(2, "closed")),
        dst.query("SELECT id, state::text FROM t ORDER BY id"));
    String error = (String) dst.scalar("SELECT error FROM ferry_dead_letter");
    assertTrue(error.contains("invalid input value for enum state: \"lost\""), error);
  }
}
