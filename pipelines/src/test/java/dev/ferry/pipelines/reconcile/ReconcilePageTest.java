package dev.ferry.pipelines.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.report.html.ReportPages;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A real reconcile with planted differences writes its HTML page beside the JSON report, with
 * one line per differing column of each differing key: its source and target values.
 */
class ReconcilePageTest {
  @Test
  void thePageShowsEachDifferingColumnSourceToTarget() throws Exception {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    String ddl = "CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(8,2))";
    src.execute(ddl, "INSERT INTO items SELECT g, 'name ' || g, g * 1.5 FROM"
        + " generate_series(1, 200) g");
    dst.execute(ddl);
    ReconcileHarness h = new ReconcileHarness(src, dst, "items");
    h.backfill();
    dst.execute("UPDATE items SET name = '<b>renamed</b>', price = 0 WHERE id = 20",
        "DELETE FROM items WHERE id = 7");
    Path json = h.dir().resolve("items.json");
    ReconcileReport report = h.reconcile("--report=" + json);
    assertEquals(ExitCodes.DIFFERENCES, report.exitCode, report.error);

    String html = Files.readString(Path.of(ReportPages.besideJson(json.toString())),
        StandardCharsets.UTF_8);
    assertTrue(html.contains("<td>mismatched</td><td>{&quot;id&quot;:20}</td><td>name</td>"
        + "<td>&quot;name 20&quot;</td><td>&quot;&lt;b&gt;renamed&lt;/b&gt;&quot;</td>"), html
        .substring(0, html.indexOf("<script")));
    assertTrue(html.contains("<td>price</td><td>30.00</td><td>0.00</td>"), "price 20: 30.00 → 0");
    assertTrue(html.contains("<td>missing</td><td>{&quot;id&quot;:7}</td><td>(whole row)</td>"));
  }
}
