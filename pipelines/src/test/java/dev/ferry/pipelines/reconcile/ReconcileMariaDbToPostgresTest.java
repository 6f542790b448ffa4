package dev.ferry.pipelines.reconcile;

import static dev.ferry.pipelines.reconcile.ReconcileHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * MariaDB to PostgreSQL, where the types differ (tinyint(1) and boolean, datetime and
 * timestamptz, decimal and numeric, JSON text and jsonb, CHAR padding): identical data must
 * compare equal, every injected difference must be found, and a repair must leave none.
 */
class ReconcileMariaDbToPostgresTest {
  private static final TreeSet<String> INJECTED = expect(
      "missing {\"id\":10}", "extra {\"id\":500}",
      "mismatched {\"id\":20} [customer]", "mismatched {\"id\":21} [paid]",
      "mismatched {\"id\":22} [amount]", "mismatched {\"id\":23} [weight]",
      "mismatched {\"id\":24} [placed]", "mismatched {\"id\":25} [due]",
      "mismatched {\"id\":26} [at_time]", "mismatched {\"id\":27} [doc]",
      "mismatched {\"id\":28} [raw]", "mismatched {\"id\":29} [code]",
      "mismatched {\"id\":40} [customer]", "mismatched {\"id\":41} [customer]");

  @Test
  void typesThatDifferCompareByValue() throws Exception {
    TestDatabase maria = EmbeddedDatabases.newMariaDb();
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    maria.execute("create table orders(id bigint primary key, customer varchar(50), code char(3),"
        + " paid tinyint(1), amount decimal(10,2), weight double, placed datetime(6), due date,"
        + " at_time time(6), doc json, raw blob)",
        "insert into orders select seq, concat('customer ', seq), concat('c', seq % 10),"
        + " seq % 2, seq * 1.5, seq / 8, timestamp('2024-01-01 00:00:00.123456')"
        + " + interval seq minute, date('2020-01-01') + interval seq day, sec_to_time(seq),"
        + " json_object('n', seq, 'k', 'v', 'list', json_array(1, 2.50)), unhex(md5(seq))"
        + " from seq_1_to_200",
        "update orders set customer = 'Müller' where id = 41",
        "update orders set doc = '{ \"list\": [1, 2.5],  \"k\": \"v\", \"n\": 30 }' where id = 30",
        "update orders set customer = null, doc = null, placed = null where id = 50");
    pg.execute("create table orders(id bigint primary key, customer varchar(50), code char(3),"
        + " paid boolean, amount numeric(10,2), weight float8, placed timestamptz, due date,"
        + " at_time time, doc jsonb, raw bytea)");
    ReconcileHarness h = new ReconcileHarness(maria, pg, "orders");
    h.backfill();

    ReconcileReport clean = h.reconcile();
    assertEquals(0, clean.exitCode, clean.toConsole());
    assertEquals(200L, clean.counts.get("match"));
    ReconcileReport cleanFast = h.reconcile("--fastPath");
    assertEquals(0, cleanFast.exitCode, cleanFast.toConsole());
    assertEquals("pipeline", cleanFast.fastPath.checksums);
    assertTrue(cleanFast.fastPath.reason.contains("column doc"), cleanFast.fastPath.reason);
    ReconcileReport padded = h.reconcile("--compareCharPadding");
    assertEquals(200L, padded.counts.get("mismatched"), "CHAR(3) padding counts when asked");

    pg.execute("delete from orders where id = 10",
        "insert into orders (id, customer) values (500, 'extra')",
        "update orders set customer = 'someone else' where id = 20",
        "update orders set paid = not paid where id = 21",
        "update orders set amount = amount * 10 where id = 22",
        "update orders set weight = weight + 0.5 where id = 23",
        "update orders set placed = placed + interval '1 hour' where id = 24",
        "update orders set due = due - 1 where id = 25",
        "update orders set at_time = at_time + interval '1 minute' where id = 26",
        "update orders set doc = doc || '{\"k\": \"w\"}' where id = 27",
        "update orders set raw = '\\x'::bytea where id = 28",
        "update orders set code = 'c99' where id = 29",
        "update orders set customer = left(customer, 5) where id = 40",
        "update orders set customer = convert_from(convert_to(customer, 'UTF8'), 'LATIN1')"
            + " where id = 41");
    assertEquals(INJECTED, h.differences("full", "--sensitiveColumns=customer"));
    JsonNode masked = h.report("full").get("examples").get("mismatched").get(0);
    assertEquals("***", masked.get("target").get(0).get("customer").asText());
    assertEquals(INJECTED, h.differences("fast", "--fastPath"));

    ReconcileReport repair = h.reconcile("--repair", "--deleteExtras");
    assertEquals(true, repair.repair.applied);
    assertEquals(13, repair.repair.rowsWritten, "1 missing and 12 mismatched keys");
    assertEquals(1, repair.repair.rowsDeleted);
    ReconcileReport after = h.reconcile("--fastPath");
    assertEquals(0, after.exitCode, after.toConsole());
    assertEquals(0L, after.differences);
  }

  @Test
  void checksumsInBothEnginesBeforeThePipeline() throws Exception {
    TestDatabase maria = EmbeddedDatabases.newMariaDb();
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    maria.execute("create table acts(id bigint primary key, who varchar(40), ok tinyint(1),"
        + " amount decimal(10,2), at datetime(6), day date)",
        "insert into acts select seq, concat('wer ', seq, ' ü'), seq % 2, seq * 2.25,"
        + " timestamp('2024-03-01 00:00:00.5') + interval seq second,"
        + " date('2021-01-01') + interval seq day from seq_1_to_400");
    pg.execute("create table acts(id bigint primary key, who varchar(40), ok boolean,"
        + " amount numeric(10,2), at timestamptz, day date)");
    // JSON is normalized alike only by PostgreSQL on both sides: no JSON column here, so the
    // checksums run in both engines.
    ReconcileHarness h = new ReconcileHarness(maria, pg, "acts");
    h.backfill();

    Path file = Files.createFile(h.dir().resolve("not-a-directory"));
    ReconcileReport clean = h.reconcile("--fastPath", "--tempLocation=" + file + "/work");
    assertEquals(0, clean.exitCode, clean.toConsole());
    assertEquals("sql", clean.fastPath.checksums, clean.fastPath.reason);
    assertEquals("md5", clean.fastPath.rowHash);
    assertEquals(400L, clean.counts.get("match"));
    assertEquals(0L, clean.fastPath.bucketsDiffering);

    pg.execute("delete from acts where id = 1", "insert into acts (id) values (401)",
        "update acts set ok = not ok where id = 200",
        "update acts set who = 'wer 399 u' where id = 399",
        "update acts set at = at + interval '1 microsecond' where id = 400");
    // Few rows in differing buckets: joined without a pipeline (one would fail on the file).
    assertEquals(expect("missing {\"id\":1}", "extra {\"id\":401}",
        "mismatched {\"id\":200} [ok]", "mismatched {\"id\":399} [who]",
        "mismatched {\"id\":400} [at]"), h.differences("fast", "--fastPath",
            "--tempLocation=" + file + "/work"));
    JsonNode fast = h.report("fast").get("fastPath");
    assertEquals("sql", fast.get("checksums").asText());
    assertEquals("launcher", fast.get("joinedIn").asText());
    ReconcilePostgresTest.assertSameAsThePipeline(h, "fast", "--fastPath");
    assertTrue(fast.get("rowsInEqualBuckets").asInt() > 0, "equal buckets are not read");
    assertEquals(400, fast.get("rowsInEqualBuckets").asInt()
        + fast.get("sourceRowsJoined").asInt(), fast.toString());
  }

  /**
   * A composite key led by an integer is bucketed by that integer's value in both engines (no
   * hash of the key per row), unless the integer has too few values to make small buckets; in
   * both cases every injected difference is found and only differing buckets are read.
   */
  @Test
  void compositeKeysLedByAnIntegerBucketByItsValue() throws Exception {
    TestDatabase maria = EmbeddedDatabases.newMariaDb();
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    for (String t : new String[] {"pay", "tenant_pay"}) {
      String lead = t.equals("pay") ? "seq" : "seq % 3";
      maria.execute("create table " + t + "(emp int not null, since date not null, amount int,"
          + " primary key (emp, since))",
          "insert into " + t + " select " + lead + ", date('2020-01-01') + interval seq day,"
          + " seq * 7 from seq_1_to_3000",
          "insert into " + t + " select " + lead + ", date('2010-01-01') + interval seq day,"
          + " seq from seq_1_to_3000");
      pg.execute("create table " + t + "(emp int, since date, amount int,"
          + " primary key (emp, since))");
      ReconcileHarness h = new ReconcileHarness(maria, pg, t);
      h.backfill();
      ReconcileReport clean = h.reconcile("--fastPath");
      assertEquals(0, clean.exitCode, clean.toConsole());
      assertEquals(6000L, clean.counts.get("match"));
      assertEquals("sql", clean.fastPath.checksums, clean.fastPath.reason);
      assertEquals(t.equals("pay"), clean.fastPath.buckets.startsWith("key / "),
          clean.fastPath.buckets);

      String e7 = t.equals("pay") ? "7" : "1";
      String e3 = t.equals("pay") ? "3" : "0";
      pg.execute("delete from " + t + " where emp = " + e7 + " and since = '2020-01-08'",
          "insert into " + t + " values (9999, '2001-01-01', 1)",
          "update " + t + " set amount = -1 where emp = " + e3 + " and since = '2020-01-04'");
      assertEquals(expect("missing {\"emp\":" + e7 + ",\"since\":\"2020-01-08\"}",
          "extra {\"emp\":9999,\"since\":\"2001-01-01\"}",
          "mismatched {\"emp\":" + e3 + ",\"since\":\"2020-01-04\"} [amount]"),
          h.differences("fast", "--fastPath"));
      if (t.equals("pay")) {
        assertTrue(h.report("fast").get("fastPath").get("rowsInEqualBuckets").asInt() > 4000,
            h.report("fast").toString());
      }
    }
  }
}
