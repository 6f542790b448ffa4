package dev.ferry.pipelines.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows with values of 50 to 200 MB migrate in a child JVM with a 1 GiB heap, next to thousands
 * of ordinary rows: chunks end at their byte budget, PostgreSQL large values are fetched one
 * row at a time, and COPY streams them to the target. The child runs with the DirectRunner
 * settings of the {@code ferry} command (its per-element immutability and encodability checks
 * off: they copy every element, 200 MB values included).
 */
class LargeValuesTest {
  private static final long MB = 1_000_000;
  @TempDir Path tmp;

  @Test
  void postgresTextByteaAndJsonOf50To200MbWithA1GbHeap() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    String ddl = "CREATE TABLE docs (id bigint PRIMARY KEY, body text, data bytea, doc jsonb,"
        + " note text)";
    src.execute(ddl,
        // ordinary rows, some with values of 100 kB (above the large-value threshold)
        "INSERT INTO docs SELECT g, 'row ' || g, decode(md5(g::text), 'hex'),"
            + " jsonb_build_object('g', g), CASE WHEN g % 250 = 0 THEN repeat('m', 100000)"
            + " ELSE repeat('n', (g % 3000)::int) END FROM generate_series(1, 3000) g",
        // 200 MB of text (16 characters, 17 bytes in UTF-8, repeated)
        "UPDATE docs SET body = repeat('0123456789abcdé-', " + (200 * MB / 16) + ")"
            + " WHERE id = 1000",
        // 60 MB of bytes
        "UPDATE docs SET data = decode(repeat('00ff10ab', " + (60 * MB / 4) + "), 'hex')"
            + " WHERE id = 2000",
        // a 50 MB JSON document
        "UPDATE docs SET doc = jsonb_build_object('blob', repeat('y', " + (50 * MB) + "), 'n', 1)"
            + " WHERE id = 2500",
        // two large values in one row
        "UPDATE docs SET body = repeat('b', " + (10 * MB) + "), note = repeat('c', " + (10 * MB)
            + ") WHERE id = 2600");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute(ddl);
    long started = System.nanoTime();

    File summary = tmp.resolve("summary.json").toFile();
    List<String> flags = Runs.with(Runs.flags("large", src, dst, "docs"), "--partitions=4",
        "--batchSize=1000", "--enforceImmutability=false", "--enforceEncodability=false",
        "--targetParallelism=8", "--summaryFile=" + summary);
    File log = tmp.resolve("child.log").toFile();
    File gc = tmp.resolve("gc.log").toFile();
    Process child = Runs.child(flags, "1g", log, "-Xlog:gc:file=" + gc);
    assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the backfill did not end in 5 minutes");
    assertEquals(0, child.exitValue(), Runs.tail(log));
    JsonNode s = new ObjectMapper().readTree(summary);
    System.out.printf("large values, PostgreSQL: backfill %.1f s (child JVM %.1f s), heap"
        + " %s%n", s.get("seconds").asDouble(), (System.nanoTime() - started) / 1e9,
        Runs.heap(gc, 1024));
    assertEquals(3000, s.get("rowsRead").asLong());
    assertEquals(3000, s.get("rowsWritten").asLong());

    String sizes = "SELECT id, length(body), length(data), length(doc::text), length(note)"
        + " FROM docs WHERE id IN (1000, 2000, 2500, 2600) ORDER BY id";
    assertEquals(src.query(sizes), dst.query(sizes));
    String all = "SELECT count(*) || ' ' || md5(string_agg(md5(coalesce(body, ''))"
        + " || md5(coalesce(data, ''::bytea)) || md5(doc::text) || md5(coalesce(note, '')), ','"
        + " ORDER BY id)) FROM docs";
    assertEquals(src.scalar(all), dst.scalar(all));
  }

  /**
   * MySQL/MariaDB: the driver streams rows one at a time, so large values need no special read
   * path; but a target refuses statements longer than {@code max_allowed_packet}, and such a row
   * is dead-lettered with that reason instead of failing the run.
   */
  @Test
  void mariaDbStreamsLargeValuesAndDeadLettersRowsLongerThanItsPacketLimit() throws Exception {
    TestDatabase maria = EmbeddedDatabases.newMariaDb();
    long packet = ((Number) maria.scalar("SELECT @@global.max_allowed_packet")).longValue();
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("CREATE TABLE notes (id bigint PRIMARY KEY, body text)",
        "INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 100) g",
        "UPDATE notes SET body = repeat('z', " + (packet + MB) + ") WHERE id = 50");
    maria.execute("CREATE TABLE notes (id bigint PRIMARY KEY, body LONGTEXT)");
    RunSummary toMaria = Runs.run(Runs.flags("packet", pg, maria, "notes"),
        "--maxDeadLetters=1");
    assertEquals(0, toMaria.exitCode, toMaria.error);
    assertEquals(99L, maria.count("notes"));
    List<List<Object>> dead = maria.query("SELECT row_key, stage, error FROM ferry_dead_letter");
    assertEquals(1, dead.size());
    assertEquals("{\"id\":50}", dead.get(0).get(0));
    assertEquals("write", dead.get(0).get(1));
    assertTrue(((String) dead.get(0).get(2)).contains("max_allowed_packet"), dead.toString());

    try {
      maria.execute("SET GLOBAL max_allowed_packet = " + (256 * 1024 * 1024));
      TestDatabase src = EmbeddedDatabases.newMariaDb();
      src.execute("CREATE TABLE files (id bigint PRIMARY KEY, body LONGTEXT, data LONGBLOB)");
      StringBuilder rows = new StringBuilder("INSERT INTO files VALUES ");
      for (int i = 1; i <= 500; i++) {
        rows.append(i > 1 ? ", " : "").append("(").append(i).append(", 'file ").append(i)
            .append("', unhex(md5(").append(i).append(")))");
      }
      src.execute(rows.toString(),
          "UPDATE files SET body = repeat('é', " + (50 * MB / 2) + ") WHERE id = 100",
          "UPDATE files SET data = unhex(repeat('00ff10ab', " + (20 * MB / 4) + "))"
              + " WHERE id = 400");
      TestDatabase dst = EmbeddedDatabases.newPostgres();
      dst.execute("CREATE TABLE files (id bigint PRIMARY KEY, body text, data bytea)");
      List<String> flags = Runs.with(Runs.flags("maria-large", src, dst, "files"),
          "--enforceImmutability=false", "--enforceEncodability=false");
      long started = System.nanoTime();
      File log = tmp.resolve("maria.log").toFile();
      File gc = tmp.resolve("maria-gc.log").toFile();
      Process child = Runs.child(flags, "512m", log, "-Xlog:gc:file=" + gc);
      assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the backfill did not end in 5 minutes");
      assertEquals(0, child.exitValue(), Runs.tail(log));
      System.out.printf("large values, MariaDB: child JVM %.1f s, heap %s%n",
          (System.nanoTime() - started) / 1e9, Runs.heap(gc, 512));
      assertEquals(List.of(List.of(500L, 25_000_000L, 20_000_000L)), dst.query("SELECT count(*),"
          + " max(char_length(body))::bigint, max(length(data))::bigint FROM files"));
      assertEquals(src.query("SELECT md5(body), md5(data) FROM files WHERE id IN (100, 400)"
              + " ORDER BY id"),
          dst.query("SELECT md5(body), md5(data) FROM files WHERE id IN (100, 400) ORDER BY id"));
    } finally {
      maria.execute("SET GLOBAL max_allowed_packet = " + packet);
    }
  }
}
