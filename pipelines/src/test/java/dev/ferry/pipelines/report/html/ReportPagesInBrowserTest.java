package dev.ferry.pipelines.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.dryrun.DryRunReport;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.migrate.MigrationSummary;
import dev.ferry.pipelines.profile.ProfileReport;
import dev.ferry.pipelines.reconcile.ReconcileReport;
import dev.ferry.profile.ColumnProfile;
import dev.ferry.profile.Finding;
import dev.ferry.profile.FindingKind;
import dev.ferry.profile.Growth;
import dev.ferry.profile.TableProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of report page, written by its report's {@code writeTo} beside the JSON and opened
 * from disk in headless Chromium: the charts are drawn (as SVG, one per chart box), nothing was
 * logged to the console, and values that look like markup stay text. A screenshot of each page
 * is kept in {@code target/report-screenshots/}. Without chromium on the PATH the test is
 * skipped, unless {@value HeadlessChromium#REQUIRED} is set (as .ci/run does).
 */
class ReportPagesInBrowserTest {
  /** A value that would run script if a page put it into markup unescaped. */
  static final String HOSTILE = "</script><img src=x onerror=\"document.title='owned'\">&amp;";
  private static final Path SCREENSHOTS = Path.of("target", "report-screenshots");
  private static final Pattern SCRIPTS = Pattern.compile("(?s)<script\\b[^>]*>.*?</script>");
  private static final Pattern DRAWN = Pattern.compile("data-charts-drawn=\"(\\d+)\"");

  @TempDir static Path dir;
  private static HeadlessChromium chromium;

  @BeforeAll
  static void findChromium() {
    chromium = HeadlessChromium.find(dir);
    if (chromium == null && System.getenv(HeadlessChromium.REQUIRED) != null) {
      throw new IllegalStateException("no chromium on the PATH, and "
          + HeadlessChromium.REQUIRED + " is set; install Debian's chromium package");
    }
    Assumptions.assumeTrue(chromium != null, "skipped: no chromium on the PATH (apt-get install"
        + " chromium); set " + HeadlessChromium.REQUIRED + " to fail instead");
  }

  @Test
  void profilePageDrawsItsCharts() throws Exception {
    Path json = dir.resolve("profile.json");
    profile().writeTo(json.toString());
    check(json, "profile", 2400);
  }

  @Test
  void reconcilePageListsDifferingColumns() throws Exception {
    Path json = dir.resolve("reconcile.json");
    reconcile().writeTo(json.toString());
    String dom = check(json, "reconcile", 1100);
    assertTrue(dom.contains("<td>status</td><td>\"paid\"</td><td>\"shipped\"</td>"), dom);
  }

  @Test
  void migratePageShowsPhasesAndSkippedObjects() throws Exception {
    Path json = dir.resolve("migrate.json");
    migration().writeTo(json);
    String dom = check(json, "migrate", 1400);
    assertTrue(dom.contains("Skipped objects (1)"), dom);
    assertTrue(dom.contains("FOREIGN_KEY_SKIPPED"), dom);
  }

  @Test
  void dryRunPageDrawsItsEstimate() throws Exception {
    Path json = dir.resolve("dry-run.json");
    dryRun().writeTo(json.toString());
    check(json, "dry-run", 900);
  }

  @Test
  void backfillPageDrawsItsRows() throws Exception {
    Path json = dir.resolve("backfill.json");
    backfill().writeTo(json.toString());
    check(json, "backfill", 800);
  }

  /** Opens the page beside {@code json}; asserts it drew every chart cleanly; returns its DOM. */
  private static String check(Path json, String kind, int height) throws Exception {
    Path page = Path.of(ReportPages.besideJson(json.toString()));
    String html = Files.readString(page, StandardCharsets.UTF_8);
    int charts = count(html, "class=\"chart\"");
    assertTrue(charts > 0, kind + ": the page has no charts");
    assertFalse(withoutScripts(html).contains("<img"), kind + ": a value was written as markup");
    String data = html.substring(html.indexOf("<script id=\"ferry-charts\""));
    assertFalse(data.substring(0, data.indexOf("</script>")).substring(1).contains("<"),
        kind + ": chart data can close its script element");
    HeadlessChromium.Result result = chromium.dumpDom(page);
    assertEquals(List.of(), result.consoleLines(), kind + ": console messages");
    String dom = result.dom();
    Matcher drawn = DRAWN.matcher(dom);
    assertTrue(drawn.find(), kind + ": the drawing script did not finish");
    assertEquals(charts, Integer.parseInt(drawn.group(1)), kind + ": charts drawn");
    assertFalse(withoutScripts(dom).contains("data-chart-errors"), kind + ": chart errors in "
        + withoutScripts(dom));
    assertTrue(count(dom, "<svg") >= charts, kind + ": fewer SVG drawings than charts");
    assertFalse(withoutScripts(dom).contains("<img"), kind + ": a value became an element");
    chromium.screenshot(page, SCREENSHOTS.resolve(kind + ".png"), height);
    assertTrue(Files.size(SCREENSHOTS.resolve(kind + ".png")) > 10_000, kind + ": screenshot");
    return dom;
  }

  /** The markup without the script elements' content (the chart library's own code). */
  private static String withoutScripts(String html) {
    return SCRIPTS.matcher(html).replaceAll("<script></script>");
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  static ProfileReport profile() {
    ProfileReport r = new ProfileReport();
    r.job = "orders";
    r.status = "succeeded";
    r.source = "mysql://db:3306/shop";
    r.relation = "orders";
    r.key = List.of("id");
    r.tableBytes = 9_437_184L;
    r.growth = new Growth("created_at", 4_100, 12_300);
    r.notes.add("read: through JDBC (COPY not used: the source is not PostgreSQL)");
    List<ColumnProfile> columns = new ArrayList<>();
    columns.add(new ColumnProfile("id", "bigint", 0, 0, 50_000, false, "1", "50000", null, null,
        null, null, null, null, null, null));
    columns.add(new ColumnProfile("status", "enum('new','paid','shipped')", 0, 0, 3, true,
        "new", "shipped", 7L, 7L, 7L, 300_000L, 0L, false, List.of(
            new ColumnProfile.LengthBin(2, 3, 20_000), new ColumnProfile.LengthBin(4, 7, 30_000)),
        List.of(new ColumnProfile.ValueCount("paid", 30_000),
            new ColumnProfile.ValueCount("new", 15_000),
            new ColumnProfile.ValueCount(HOSTILE, 5_000))));
    columns.add(new ColumnProfile("note", "text", 12_000, 0.24, 37_000, true, HOSTILE, "zz",
        4_000L, 900L, 4_000L, 8_000_000L, 0L, false, List.of(
            new ColumnProfile.LengthBin(0, 0, 100), new ColumnProfile.LengthBin(1, 1, 0),
            new ColumnProfile.LengthBin(2, 3, 400), new ColumnProfile.LengthBin(4, 7, 9_000),
            new ColumnProfile.LengthBin(8, 15, 20_000)), null));
    columns.add(new ColumnProfile("created_at", "datetime", 0, 0, 49_000, true,
        "2024-01-02T03:04:05", "2026-11-30T10:00", null, null, null, null, null, null, null,
        null));
    Map<String, Long> months = new TreeMap<>();
    for (int m = 1; m <= 23; m++) {
      months.put(String.format("%04d-%02d", 2025 + (m - 1) / 12, (m - 1) % 12 + 1),
          1_000L + 90L * m);
    }
    r.profile = new TableProfile(50_006, 50_000, 1 << 20, columns, List.of(
        new Finding(FindingKind.ZERO_DATE, "created_at", 6, 6, List.of(
            new Finding.Example("{\"id\":17}", HOSTILE)))), null, months);
    return r;
  }

  static ReconcileReport reconcile() {
    ObjectMapper json = new ObjectMapper();
    ReconcileReport r = new ReconcileReport();
    r.job = "orders";
    r.status = "differences";
    r.exitCode = ExitCodes.DIFFERENCES;
    r.source = new ReconcileReport.Side();
    r.source.endpoint = "mysql://db:3306/shop";
    r.source.table = "orders";
    r.target = new ReconcileReport.Side();
    r.target.endpoint = "postgresql://pg:5432/shop";
    r.target.table = "public.orders";
    r.method = "full";
    r.rows = new ReconcileReport.Rows();
    r.rows.source = 50_000;
    r.rows.target = 49_991;
    r.counts = new LinkedHashMap<>(Map.of("match", 49_985L));
    r.counts.put("missing", 9L);
    r.counts.put("mismatched", 6L);
    r.mismatchesByColumn = new LinkedHashMap<>(Map.of("status", 4L, "note", 2L));
    r.differences = 15L;
    r.differenceRate = 15 / 50_000.0;
    r.tolerance = 0.0;
    ObjectNode mismatched = json.createObjectNode();
    mismatched.put("class", "mismatched");
    mismatched.putObject("key").put("id", 42);
    mismatched.putArray("columns").add("status").add("note");
    mismatched.putArray("source").addObject().put("id", 42).put("status", "paid")
        .put("note", HOSTILE);
    mismatched.putArray("target").addObject().put("id", 42).put("status", "shipped")
        .put("note", "ok");
    ObjectNode missing = json.createObjectNode();
    missing.put("class", "missing");
    missing.putObject("key").put("id", 7);
    missing.putArray("source").addObject().put("id", 7).put("status", "new");
    missing.putArray("target");
    r.examples = new LinkedHashMap<>();
    r.examples.put("missing", List.of(missing));
    r.examples.put("mismatched", List.of(mismatched));
    return r;
  }

  static MigrationSummary migration() {
    MigrationSummary s = new MigrationSummary();
    s.command = "migrate";
    s.migration = "shop";
    s.status = "succeeded";
    s.source = "mysql://db:3306/shop";
    s.target = "postgresql://pg:5432/shop";
    s.check = "counts: equal";
    s.warnings = 2;
    String[][] tables = {{"customers", "VERIFIED", "1200", "1.2"}, {"orders", "VERIFIED",
        "50000", "8.9"}, {"order_items", "LOADED", "140000", "15.3"}, {"audit", "CREATED", "0",
        null}};
    for (String[] t : tables) {
      MigrationSummary.TableResult result = new MigrationSummary.TableResult();
      result.table = t[0];
      result.targetTable = "public." + t[0];
      result.phase = t[1];
      result.sourceRows = t[2];
      result.rowsLoaded = Long.parseLong(t[2]);
      result.loadedThisRun = t[3] != null;
      result.loadSeconds = t[3] == null ? null : Double.parseDouble(t[3]);
      result.detail = t[0].equals("audit") ? HOSTILE : null;
      s.tables.add(result);
    }
    s.warningDetails.add(warning("FOREIGN_KEY_SKIPPED", "audit", null,
        "foreign key to a table outside the migration"));
    s.warningDetails.add(warning("LOSSY_TYPE", "orders", "total", HOSTILE));
    return s;
  }

  private static MigrationSummary.WarningDetail warning(String kind, String table,
      String column, String message) {
    MigrationSummary.WarningDetail w = new MigrationSummary.WarningDetail();
    w.kind = kind;
    w.table = table;
    w.column = column;
    w.message = message;
    return w;
  }

  static DryRunReport dryRun() {
    DryRunReport r = new DryRunReport();
    r.job = "orders";
    r.status = "succeeded";
    r.source = "mysql://db:3306/shop orders";
    r.writtenTo = "postgresql://pg:5432/shop ferry_dry_run_orders";
    r.samplePercent = 1;
    r.rangesPlanned = 800;
    r.rangesSampled = 8;
    r.rowsInTable = 50_000;
    r.rowsRead = 500;
    r.rowsWritten = 500;
    r.planSeconds = 0.4;
    r.sampleSeconds = 2.1;
    r.fixedSeconds = 1.9;
    r.rowsPerSecond = 2500.0;
    r.estimatedSeconds = 22.3;
    r.assumptions.add("the rest of the table is like the sample");
    return r;
  }

  static RunSummary backfill() {
    RunSummary s = new RunSummary();
    s.job = "orders";
    s.runId = "r-1";
    s.status = "succeeded";
    s.source = "mysql://db:3306/shop orders";
    s.target = "postgresql://pg:5432/shop public.orders";
    s.rangesTotal = 8;
    s.rangesDone = 8;
    s.rangesThisRun = 8;
    s.rowsRead = 50_000;
    s.rowsWritten = 49_994;
    s.rowsDeadLettered = 6;
    s.jobRowsRead = 50_000;
    s.jobRowsWritten = 49_994;
    s.jobRowsDeadLettered = 6;
    s.deadLetterTable = "ferry.dead_letters";
    s.seconds = 8.9;
    s.rowsPerSecond = 5_617;
    assertNotNull(s.job);
    return s;
  }
}
