package dev.ferry.pipelines.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals(ReconcileReport.EXIT_DIFFERENCES, empty.exitCode, empty.toConsole());
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
}
