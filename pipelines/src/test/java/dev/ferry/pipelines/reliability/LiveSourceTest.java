package dev.ferry.pipelines.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.reconcile.ReconcileOptions;
import dev.ferry.pipelines.reconcile.ReconcilePipeline;
import dev.ferry.pipelines.reconcile.ReconcileReport;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inserts, updates and deletes keep hitting the source while the backfill copies it (a
 * background writer with a bounded, seeded loop). A catch-up run ({@code --since=last} on
 * {@code updated_at}) then copies what changed, and every change is accounted for: each row the
 * source still has is in the target with its latest values (updated and inserted rows
 * included), and the target's extra rows are exactly the deleted rows that had been copied
 * before their delete. Reconcile ({@link ReconcilePipeline}) then reports exactly those rows as
 * extra in the target and nothing else: ferry never deletes from the target on its own, and a
 * catch-up by {@code updated_at} cannot see deletes.
 */
class LiveSourceTest {
  private static final int ROWS = 20_000;
  private static final int CHANGES = 400;

  @TempDir Path tmp;

  @Test
  void catchUpAccountsForEveryChangeMadeDuringTheBackfill() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    String ddl = "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL,"
        + " amount numeric(12,2) NOT NULL, updated_at timestamptz NOT NULL)";
    src.execute(ddl, "INSERT INTO orders SELECT g, 'new', g / 100.0,"
        + " timestamptz '2024-01-01 00:00Z' + g * interval '1 second'"
        + " FROM generate_series(1, " + ROWS + ") g");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute(ddl);
    List<String> flags = Runs.with(Runs.flags("live", src, dst, "orders"),
        "--sinceColumn=updated_at");

    CompletableFuture<RunSummary> backfill = CompletableFuture.supplyAsync(
        () -> Runs.run(flags, "--maxRowsPerSecond=4000"));
    while (Runs.committedRows(dst) < ROWS / 10 && !backfill.isDone()) {
      Thread.sleep(20);
    }
    Changes changes = new Changes();
    int made = changes.apply(src, dst, backfill, new Random(42));
    RunSummary first = backfill.get(3, TimeUnit.MINUTES);
    assertEquals(0, first.exitCode, first.error);
    assertTrue(made >= 50, "only " + made + " changes overlapped the backfill");

    RunSummary catchUp = Runs.run(flags, "--since=last");
    assertEquals(0, catchUp.exitCode, catchUp.error);
    assertEquals("catch-up", catchUp.kind);
    // The watermark is the source's max(updated_at) before the first run read anything: every
    // change made during the backfill is at or after it, so the catch-up reads all of them (and
    // the one seeded row stamped exactly at the watermark), not the whole table.
    Set<Long> live = new HashSet<>(changes.updated);
    live.addAll(changes.inserted);
    live.removeAll(changes.deleted);
    assertTrue(catchUp.rowsRead >= live.size() && catchUp.rowsRead <= live.size() + 1,
        "catch-up read " + catchUp.rowsRead + " rows for " + live.size() + " changed rows");

    Map<Long, String> source = rows(src);
    Map<Long, String> target = rows(dst);
    List<Long> differing = new ArrayList<>();
    for (Map.Entry<Long, String> e : source.entrySet()) {
      if (!e.getValue().equals(target.get(e.getKey()))) {
        differing.add(e.getKey());
      }
    }
    assertTrue(differing.isEmpty(), "rows differ or are missing in the target: "
        + differing.subList(0, Math.min(20, differing.size())));
    for (long id : changes.inserted) {
      assertEquals(source.get(id) != null, target.containsKey(id), "inserted row " + id);
    }
    Set<Long> extras = new TreeSet<>(target.keySet());
    extras.removeAll(source.keySet());
    Set<Long> deletedAfterCopy = new TreeSet<>(changes.deletedAfterCopy);
    assertTrue(changes.deleted.containsAll(extras), "extras are all deleted rows: " + extras);
    assertTrue(extras.containsAll(deletedAfterCopy),
        "deleted rows that had been copied are extras in the target");
    assertFalse(deletedAfterCopy.isEmpty(), "some deletes hit rows already copied");
    for (long id : changes.deleted) {
      assertFalse(source.containsKey(id));
    }

    // Reconcile sees the same: the deleted rows as extra in the target, nothing missing or
    // mismatched.
    List<String> args = Runs.with(Runs.flags("live-check", src, dst, "orders"),
        "--report=" + tmp.resolve("reconcile.json"));
    args.removeIf(a -> a.startsWith("--batchSize") || a.startsWith("--progressInterval"));
    ReconcileOptions o = PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
        .withValidation().as(ReconcileOptions.class);
    ReconcileReport report = ReconcilePipeline.run(o, new Secrets(Map.of()));
    assertEquals(ExitCodes.DIFFERENCES, report.exitCode, report.error);
    Set<String> reported = new TreeSet<>();
    for (String line : Files.readAllLines(tmp.resolve("reconcile.differences.jsonl"))) {
      JsonNode n = new ObjectMapper().readTree(line);
      reported.add(n.get("class").asText() + " " + n.get("key"));
    }
    Set<String> expected = new TreeSet<>();
    for (long id : extras) {
      expected.add("extra {\"id\":" + id + "}");
    }
    assertEquals(expected, reported);
    assertEquals((long) extras.size(), report.counts.get("extra"));
  }

  /** The background writer: a bounded loop of inserts, updates and deletes on the source. */
  private static final class Changes {
    final Set<Long> inserted = new HashSet<>();
    final Set<Long> updated = new HashSet<>();
    final Set<Long> deleted = new HashSet<>();
    final Set<Long> deletedAfterCopy = new HashSet<>();

    /** Changes the source until the backfill ends or {@link #CHANGES} were made. */
    int apply(TestDatabase src, TestDatabase dst, CompletableFuture<?> backfill, Random random)
        throws Exception {
      int made = 0;
      long nextId = ROWS + 1;
      try (Connection s = src.connect(); Connection d = dst.connect();
          PreparedStatement insert = s.prepareStatement("INSERT INTO orders VALUES"
              + " (?, 'inserted', 1.00, clock_timestamp())");
          PreparedStatement update = s.prepareStatement("UPDATE orders SET status = ?,"
              + " amount = amount + 1, updated_at = clock_timestamp() WHERE id = ?");
          PreparedStatement delete = s.prepareStatement("DELETE FROM orders WHERE id = ?");
          PreparedStatement copied = d.prepareStatement("SELECT id FROM orders"
              + " ORDER BY id OFFSET ? LIMIT 1")) {
        while (made < CHANGES && !backfill.isDone()) {
          int op = random.nextInt(10);
          if (op < 3) {
            insert.setLong(1, nextId);
            insert.executeUpdate();
            inserted.add(nextId++);
          } else if (op < 8) {
            long id = 1 + random.nextInt(ROWS);
            if (deleted.contains(id)) {
              continue;
            }
            update.setString(1, "changed-" + made);
            update.setLong(2, id);
            update.executeUpdate();
            updated.add(id);
          } else {
            // Half the deletes hit a row the backfill has already copied, half any row.
            Long id = null;
            boolean afterCopy = random.nextBoolean();
            if (afterCopy) {
              long count = dst.count("orders");
              copied.setLong(1, random.nextInt((int) Math.max(1, count)));
              try (ResultSet rs = copied.executeQuery()) {
                id = rs.next() ? rs.getLong(1) : null;
              }
            } else {
              id = 1L + random.nextInt(ROWS);
            }
            if (id == null || deleted.contains(id) || id > ROWS) {
              continue;
            }
            delete.setLong(1, id);
            if (delete.executeUpdate() == 1) {
              deleted.add(id);
              if (afterCopy) {
                deletedAfterCopy.add(id);
              }
            }
          }
          made++;
          Thread.sleep(5);
        }
      }
      return made;
    }
  }

  private static Map<Long, String> rows(TestDatabase db) {
    Map<Long, String> rows = new HashMap<>();
    for (List<Object> r : db.query("SELECT id, status || '|' || amount || '|'"
        + " || to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM orders")) {
      rows.put(((Number) r.get(0)).longValue(), (String) r.get(1));
    }
    return rows;
  }
}
