package dev.ferry.pipelines.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** What a person sees without --report: the first differing keys and what differs in them. */
class ReconcileConsoleTest {
  @Test
  void theConsoleShowsTheFirstDifferingKeysAndAnEmptyTargetAtOnce() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    String ddl = "create table items(id int primary key, name text, price numeric(8,2))";
    src.execute(ddl, "insert into items select g, 'name ' || g, g * 1.5"
        + " from generate_series(1, 50) g");
    dst.execute(ddl);
    ReconcileHarness h = new ReconcileHarness(src, dst, "items");

    ReconcileReport empty = h.reconcile("--fastPath");
    assertEquals(ExitCodes.DIFFERENCES, empty.exitCode, empty.toConsole());
    assertEquals(50L, empty.counts.get("missing"));
    assertTrue(empty.notice.contains("is empty: no backfill has copied anything"), empty.notice);
    assertNull(empty.method, "nothing was compared");

    h.backfill();
    dst.execute("delete from items where id = 7", "update items set name = 'renamed',"
        + " price = 0 where id = 20", "insert into items values (99, 'extra', 1)");
    ReconcileReport report = h.reconcile();
    String console = report.toConsole();
    assertTrue(console.contains("- missing    {\"id\":7}"), console);
    assertTrue(console.contains("+ extra      {\"id\":99}"), console);
    assertTrue(console.contains("~ mismatched {\"id\":20}  name: \"name 20\" → \"renamed\""
        + "  price: 30.00 → 0.00"), console);
    assertNull(report.notice);
  }

  @Test
  void theConsoleSaysWhyRowsAreMissing() {
    ReconcileReport r = new ReconcileReport();
    r.job = "orders";
    r.status = "differences";
    r.counts = new java.util.LinkedHashMap<>();
    r.counts.put("match", 49_991L);
    r.counts.put("missing", 9L);
    r.counts.put("accepted", 2L);
    r.missingRejectedByMapping = 6L;
    r.missingDeadLettered = 3L;
    String console = r.toConsole();
    assertTrue(console.contains("missing       9  (of which 6 rejected by the mapping, 3"
        + " dead-lettered: ferry deadletters list)"), console);
    assertTrue(console.contains("accepted      2  (dead letters accepted with ferry deadletters"
        + " accept: no difference)"), console);
  }
}
