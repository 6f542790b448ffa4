package dev.ferry.pipelines.migrate;

import dev.ferry.pipelines.report.html.Charts;
import dev.ferry.pipelines.report.html.HtmlPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plan or migration run as a page for people: the tables with their phase, rows and load
 * times (as a table and as charts), the objects the schema translation skipped, its other
 * warnings, renames and problems.
 */
final class MigrationPage {
  private MigrationPage() {}

  static HtmlPage of(MigrationSummary s) {
    HtmlPage page = HtmlPage.of("ferry " + s.command, s.migration, s.status, s.exitCode);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("source", s.source);
    facts.put("target", s.target);
    facts.put("tables", String.valueOf(s.tables.size()));
    if (s.afterLoadStatements > 0 || s.identityRestarts > 0) {
      facts.put("after load", s.afterLoadStatements + " index/constraint statements, "
          + s.identityRestarts + " identity restarts");
    }
    facts.put("check", s.check);
    facts.put("warnings", String.valueOf(s.warnings));
    facts.put("took", String.format("%.1f s", s.seconds));
    facts.put("failed at table", s.failedTable);
    facts.put("error", s.error);
    page.facts(facts).list("warnings", s.problems);
    if (!s.tables.isEmpty()) {
      charts(page, s);
      tables(page, s);
    }
    warnings(page, s);
    if (!s.renames.isEmpty()) {
      page.heading("Identifiers spelled differently in PostgreSQL").list("notes", s.renames);
    }
    return page;
  }

  private static void charts(HtmlPage page, MigrationSummary s) {
    Map<String, Integer> phases = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    List<Long> rows = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    for (MigrationSummary.TableResult t : s.tables) {
      phases.merge(t.phase.toLowerCase(Locale.ROOT), 1, Integer::sum);
      names.add(t.table);
      rows.add(t.rowsLoaded == null ? 0 : t.rowsLoaded);
      seconds.add(t.loadedThisRun && t.loadSeconds != null
          ? Math.round(t.loadSeconds * 10) / 10.0 : 0.0);
    }
    int height = 60 + 24 * names.size();
    page.grid();
    page.chart("Tables by phase", Charts.ring(phases), 260);
    page.chart("Rows loaded per table", Charts.horizontalBars(names, rows, "rows"), height);
    if (seconds.stream().anyMatch(x -> x > 0)) {
      page.chart("Load time per table this run (s)", Charts.horizontalBars(names, seconds, "s"),
          height);
    }
    page.endGrid();
  }

  private static void tables(HtmlPage page, MigrationSummary s) {
    List<List<String>> rows = new ArrayList<>();
    for (MigrationSummary.TableResult t : s.tables) {
      rows.add(List.of(t.table, t.targetTable == null ? "" : t.targetTable,
          t.phase.toLowerCase(Locale.ROOT), t.sourceRows == null ? "" : t.sourceRows,
          t.rowsLoaded == null ? "" : String.format("%,d", t.rowsLoaded),
          t.loadedThisRun && t.loadSeconds != null ? String.format("%.1f", t.loadSeconds) : "",
          t.detail == null ? "" : t.detail));
    }
    page.heading("Tables");
    page.table(List.of("table", "target", "phase", "source rows", "rows loaded",
        "load s (this run)", "detail"), rows);
  }

  private static void warnings(HtmlPage page, MigrationSummary s) {
    List<List<String>> skipped = new ArrayList<>();
    List<List<String>> other = new ArrayList<>();
    for (MigrationSummary.WarningDetail w : s.warningDetails) {
      List<String> row = List.of(w.kind, w.table, w.column == null ? "" : w.column, w.message);
      (w.kind.endsWith("_SKIPPED") ? skipped : other).add(row);
    }
    List<String> headers = List.of("kind", "table", "column", "message");
    page.heading("Skipped objects (" + skipped.size() + ")");
    if (skipped.isEmpty()) {
      page.paragraph("None.");
    } else {
      page.table(headers, skipped);
    }
    List<List<String>> objects = new ArrayList<>();
    for (MigrationSummary.ObjectResult o : s.objects) {
      objects.add(List.of(o.kind, o.name, o.table == null ? "" : o.table, o.status,
          o.reason == null ? "" : o.reason));
    }
    page.heading("Views, triggers and routines (" + objects.size() + ", " + s.notMigrated
        + " not migrated" + (s.notMigratedFile == null ? "" : ": see " + s.notMigratedFile)
        + ")");
    if (objects.isEmpty()) {
      page.paragraph("None.");
    } else {
      page.table(List.of("kind", "name", "table", "status", "reason"), objects);
    }
    page.heading("Other warnings (" + other.size() + ")");
    if (other.isEmpty()) {
      page.paragraph("None.");
    } else {
      page.table(headers, other);
    }
  }
}
