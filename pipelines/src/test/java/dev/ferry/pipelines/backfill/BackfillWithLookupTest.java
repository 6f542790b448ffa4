package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill whose mapping fills orders.phone from email_lookup by email (a CoGroupByKey): rows
 * get their phone, rows without a match get NULL, and a row whose email matches two different
 * phones is dead-lettered naming the lookup, the key and the column, never given either phone.
 */
class BackfillWithLookupTest {
  @TempDir Path tmp;

  @Test
  void ordersGetTheirPhoneFromTheLookup() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE orders (id bigint PRIMARY KEY, email text, total numeric(10,2))",
        "INSERT INTO orders SELECT g, 'u' || (g % 50) || '@x', g FROM generate_series(1, 1000) g",
        "CREATE TABLE email_lookup (id serial PRIMARY KEY, email text, phone text)",
        "INSERT INTO email_lookup (email, phone) SELECT 'u' || u || '@x', '+1-' || u"
            + " FROM generate_series(1, 39) u",
        "INSERT INTO email_lookup (email, phone) VALUES ('u7@x', '+1-777')");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE orders (id bigint PRIMARY KEY, email text, total numeric(10,2),"
        + " phone text)");
    Path mapping = tmp.resolve("mapping.yaml");
    Files.writeString(mapping, String.join("\n",
        "lookups:",
        "  - {table: email_lookup, on: [email], columns: [phone], strategy: join}",
        ""));

    RunSummary s = Backfills.run(Backfills.flags("lookup", src, dst, "orders"),
        "--mappingFile=" + mapping, "--maxDeadLetters=100");
    assertEquals(0, s.exitCode, s.error);
    assertEquals(1000, s.rowsRead, "lookup rows are not counted as rows read");
    assertEquals(20, s.rowsDeadLettered, "u7@x matches two different phones");
    assertEquals(980L, dst.count("orders"));
    assertEquals(0L, ((Number) dst.scalar("SELECT count(*) FROM orders WHERE phone IS DISTINCT"
        + " FROM CASE WHEN id % 50 BETWEEN 1 AND 39 THEN '+1-' || (id % 50) END")).longValue());
    List<List<Object>> dead = dst.query("SELECT row_key, stage, column_name, error FROM"
        + " ferry_dead_letter ORDER BY row_key LIMIT 1");
    assertEquals(List.of("{\"id\":107}", "map", "phone", "table orders, lookup email_lookup: 2"
        + " rows match {\"email\":\"u7@x\"} with different values for [phone]; ferry does not"
        + " pick one"), dead.get(0));
    assertTrue(s.rangesDone == s.rangesTotal);
  }
}
