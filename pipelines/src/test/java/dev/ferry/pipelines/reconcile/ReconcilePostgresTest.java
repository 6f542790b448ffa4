package dev.ferry.pipelines.reconcile;

import static dev.ferry.pipelines.reconcile.ReconcileHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL to PostgreSQL: copy with the backfill, inject one difference of every kind into the
 * target, and check that every way of reconciling finds exactly those keys.
 */
class ReconcilePostgresTest {
  private static final String DDL = "create table items(id bigint primary key, name text,"
      + " code char(4), qty int, price numeric(12,2), ratio float8, small real, active boolean,"
      + " born date, at_time time, created timestamp, seen timestamptz, payload jsonb,"
      + " blob bytea, uid uuid)";

  private static final TreeSet<String> INJECTED = expect(
      "missing {\"id\":10}", "missing {\"id\":11}",
      "extra {\"id\":1001}", "extra {\"id\":1002}",
      "mismatched {\"id\":20} [name]", "mismatched {\"id\":21} [qty]",
      "mismatched {\"id\":22} [price]", "mismatched {\"id\":23} [ratio]",
      "mismatched {\"id\":24} [active]", "mismatched {\"id\":25} [born]",
      "mismatched {\"id\":26} [at_time]", "mismatched {\"id\":27} [created]",
      "mismatched {\"id\":28} [seen]", "mismatched {\"id\":29} [payload]",
      "mismatched {\"id\":30} [blob]", "mismatched {\"id\":31} [uid]",
      "mismatched {\"id\":32} [code]", "mismatched {\"id\":33} [small]",
      "mismatched {\"id\":40} [name]", "mismatched {\"id\":41} [name]");

  private static ReconcileHarness copied() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    src.execute(DDL, "insert into items select g, 'name ' || g, 'c' || (g % 10), g * 3,"
        + " g * 1.25, g / 7.0, g / 3.0, g % 2 = 0, date '2000-01-01' + g::int,"
        + " time '08:00' + g * interval '1 second',"
        + " timestamp '2024-01-01' + g * interval '1 minute' + interval '0.123456 second',"
        + " timestamptz '2024-06-01 00:00+00' + g * interval '1 hour',"
        + " jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g)),"
        + " decode(md5(g::text), 'hex'), md5(g::text)::uuid from generate_series(1, 300) g",
        "update items set name = 'Café ' || id where id = 41",
        "update items set name = null, payload = null, uid = null where id = 50",
        // With statistics the fast path plans its ranges from them (DenseKeyRanges): the keys
        // the target has beyond the source's last key are still compared.
        "analyze items");
    dst.execute(DDL);
    ReconcileHarness h = new ReconcileHarness(src, dst, "items");
    h.backfill();
    return h;
  }

  private static void inject(TestDatabase target) {
    target.execute("delete from items where id in (10, 11)",
        "insert into items (id, name) values (1001, 'extra'), (1002, 'extra 2')",
        "update items set name = 'changed' where id = 20",
        "update items set qty = qty + 1 where id = 21",
        "update items set price = price + 0.01 where id = 22",
        "update items set ratio = ratio + 1e-9 where id = 23",
        "update items set active = not active where id = 24",
        "update items set born = born + 1 where id = 25",
        "update items set at_time = at_time + interval '1 second' where id = 26",
        "update items set created = created + interval '1 microsecond' where id = 27",
        "update items set seen = seen + interval '1 hour' where id = 28",
        "update items set payload = payload || '{\"n\": -1}' where id = 29",
        "update items set blob = '\\x00' where id = 30",
        "update items set uid = gen_random_uuid() where id = 31",
        "update items set code = 'zz' where id = 32",
        "update items set small = small * 2 where id = 33",
        "update items set name = left(name, 3) where id = 40",
        "update items set name = convert_from(convert_to(name, 'UTF8'), 'LATIN1') where id = 41");
  }

  @Test
  void findsExactlyTheInjectedDifferencesEveryWay() throws Exception {
    ReconcileHarness h = copied();
    // Equal checksums everywhere: no row is read, so no pipeline runs, and one that did would
    // fail writing its results under a file.
    Path file = Files.createFile(h.dir().resolve("not-a-directory"));
    ReconcileReport clean = h.reconcile("--fastPath", "--tempLocation=" + file + "/work");
    assertEquals(0, clean.exitCode, clean.error);
    assertEquals(300L, clean.counts.get("match"));
    assertEquals(300L, clean.rows.source);
    assertEquals(clean.rows.sourceChecksum, clean.rows.targetChecksum);
    assertEquals("sql", clean.fastPath.checksums);
    assertEquals("native", clean.fastPath.rowHash);
    assertEquals(0L, clean.fastPath.bucketsDiffering);
    assertEquals(300L, clean.fastPath.rowsInEqualBuckets);

    // A change in the table's last bucket only.
    h.target().execute("update items set qty = qty + 1 where id = 300");
    assertEquals(expect("mismatched {\"id\":300} [qty]"), h.differences("last", "--fastPath"));
    JsonNode last = h.report("last").get("fastPath");
    assertEquals(1, last.get("bucketsDiffering").asInt(), last.toString());
    assertEquals(299, h.report("last").get("counts").get("match").asInt());
    h.target().execute("update items set qty = qty - 1 where id = 300");

    inject(h.target());
    assertEquals(INJECTED, h.differences("full"));
    JsonNode full = h.report("full");
    assertEquals(4, full.get("exitCode").asInt());
    assertEquals("sql", full.get("rowHashes").asText(), "same-typed PostgreSQL pairs hash in SQL");
    assertEquals(2, full.get("counts").get("missing").asInt());
    assertEquals(2, full.get("counts").get("extra").asInt());
    assertEquals(16, full.get("counts").get("mismatched").asInt());
    assertEquals(3, full.get("mismatchesByColumn").get("name").asInt());
    assertEquals(298 - 16, full.get("counts").get("match").asInt());
    JsonNode changed = full.get("examples").get("mismatched").get(0);
    assertEquals("name 20", changed.get("source").get(0).get("name").asText());
    assertEquals("changed", changed.get("target").get(0).get("name").asText());

    // Same data, same report and the same list of keys.
    h.differences("again");
    assertEquals(Files.readString(h.dir().resolve("full.differences.jsonl")),
        Files.readString(h.dir().resolve("again.differences.jsonl")));
    assertEquals(withoutFile(h.report("full")), withoutFile(h.report("again")));

    // Few rows in differing buckets: joined without a pipeline (one would fail on the file).
    assertEquals(INJECTED, h.differences("sql", "--fastPath", "--tempLocation=" + file
        + "/work"));
    JsonNode sql = h.report("sql").get("fastPath");
    assertEquals("sql", sql.get("checksums").asText());
    assertEquals("launcher", sql.get("joinedIn").asText());
    assertTrue(sql.get("bucketsDiffering").asInt() <= 20, sql.toString());
    assertTrue(sql.get("sourceRowsJoined").asInt() < 150, "only differing buckets are joined");
    assertSameAsThePipeline(h, "sql", "--fastPath");

    TreeSet<String> withinTolerance = new TreeSet<>(INJECTED);
    withinTolerance.remove("mismatched {\"id\":23} [ratio]");
    assertEquals(withinTolerance, h.differences("pipeline", "--fastPath",
        "--floatTolerance=0.000001"));
    assertEquals("pipeline", h.report("pipeline").get("fastPath").get("checksums").asText());

    ReconcileReport all = h.reconcile("--sample=1000");
    assertEquals(300, all.sample.sampled);
    assertEquals(18, all.sample.errors, "missing and mismatched; extras are not sampled");
    assertEquals(4, all.exitCode);
    assertTrue(all.sample.low < 0.06 && 0.06 < all.sample.high);
    ReconcileReport lenient = h.reconcile("--sample=40", "--sampleSeed=7", "--tolerance=0.5");
    assertEquals(0, lenient.exitCode, lenient.toConsole());
    assertEquals(40, lenient.sample.sampled);
  }

  /**
   * The report and differing keys of the run {@code name} joined in the launcher are those the
   * pipeline finds with the same flags.
   */
  static void assertSameAsThePipeline(ReconcileHarness h, String name, String... flags)
      throws Exception {
    String[] inPipeline = java.util.Arrays.copyOf(flags, flags.length + 1);
    inPipeline[flags.length] = "--joinInLauncherBelow=0";
    h.differences(name + "-pipeline", inPipeline);
    assertEquals("pipeline", h.report(name + "-pipeline").get("fastPath").get("joinedIn")
        .asText());
    assertEquals(Files.readString(h.dir().resolve(name + ".differences.jsonl")),
        Files.readString(h.dir().resolve(name + "-pipeline.differences.jsonl")));
    assertEquals(withoutPlace(h.report(name)), withoutPlace(h.report(name + "-pipeline")));
  }

  private static JsonNode withoutPlace(JsonNode report) {
    ((ObjectNode) withoutFile(report).get("fastPath")).remove("joinedIn");
    return report;
  }

  private static JsonNode withoutFile(JsonNode report) {
    ((ObjectNode) report).remove("differencesFile");
    return report;
  }

  /**
   * A composite key led by an integer buckets by that integer's value; with native row hashes the
   * differing buckets are merged by key as for a single key, in the launcher and the pipeline.
   */
  @Test
  void compositeKeysLedByAnIntegerBucketByItsValue() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    String ddl = "create table pay(emp int, since date, amount int, primary key (emp, since))";
    src.execute(ddl, "insert into pay select g / 2, date '2020-01-01' + g, g * 7"
        + " from generate_series(2, 6001) g");
    dst.execute(ddl);
    ReconcileHarness h = new ReconcileHarness(src, dst, "pay");
    h.backfill();
    dst.execute("delete from pay where emp = 7 and since = '2020-01-15'",
        "insert into pay values (99999, '2001-01-01', 1)",
        "update pay set amount = -1 where emp = 3 and since = '2020-01-07'");
    assertEquals(expect("missing {\"emp\":7,\"since\":\"2020-01-15\"}",
        "extra {\"emp\":99999,\"since\":\"2001-01-01\"}",
        "mismatched {\"emp\":3,\"since\":\"2020-01-07\"} [amount]"),
        h.differences("fast", "--fastPath"));
    JsonNode fast = h.report("fast").get("fastPath");
    assertTrue(fast.get("buckets").asText().startsWith("key / "), fast.toString());
    assertTrue(fast.get("rowsInEqualBuckets").asInt() > 5000, fast.toString());
    assertSameAsThePipeline(h, "fast", "--fastPath");
  }

  @Test
  void reviewedRepairThenDuplicatesInATargetWithoutPrimaryKey() throws Exception {
    ReconcileHarness h = copied();
    TestDatabase target = h.target();
    inject(target);
    Path sqlFile = h.dir().resolve("repair.sql");
    ReconcileReport planned = h.reconcile("--repairSqlFile=" + sqlFile, "--deleteExtras");
    assertEquals(false, planned.repair.applied);
    assertEquals(18, planned.repair.keysRecopied);
    assertEquals(2, planned.repair.keysDeleted);
    target.execute(Files.readString(sqlFile));
    ReconcileReport repaired = h.reconcile();
    assertEquals(0, repaired.exitCode, repaired.toConsole());
    assertEquals(0L, repaired.differences);

    target.execute("alter table items drop constraint items_pkey",
        "insert into items select * from items where id in (5, 6)",
        "insert into items select * from items where id = 6");
    TreeSet<String> expected = expect("duplicate {\"id\":5}", "duplicate {\"id\":6}");
    assertEquals(expected, h.differences("full"));
    assertEquals(expected, h.differences("fast", "--fastPath"));
    assertEquals("launcher", h.report("fast").get("fastPath").get("joinedIn").asText());
    assertSameAsThePipeline(h, "fast", "--fastPath");
    JsonNode dup = h.report("full").get("examples").get("duplicate");
    assertEquals(4, dup.get(1).get("targetRows").asInt());
    assertEquals(4, dup.get(1).get("target").size());
  }
}
