package dev.ferry.pipelines.profile;

import dev.ferry.pipelines.report.html.Charts;
import dev.ferry.pipelines.report.html.HtmlPage;
import dev.ferry.profile.ColumnProfile;
import dev.ferry.profile.Finding;
import dev.ferry.profile.TableProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The profile as a page for people: the table's facts, a chart of NULL shares, rows per month
 * by the created-at column, per column its value lengths and (for columns with few values) its
 * top values, then the column table and the findings with what each means.
 */
final class ProfilePage {
  private static final String ORANGE = "#d9822b";

  private ProfilePage() {}

  static HtmlPage of(ProfileReport r) {
    HtmlPage page = HtmlPage.of("ferry profile", r.job, r.status, r.exitCode);
    TableProfile p = r.profile;
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("source", r.source);
    facts.put("table", r.relation);
    if (r.relation != null) {
      facts.put("key", r.key == null || r.key.isEmpty()
          ? "none: the table has no key and was read in one scan" : String.join(", ", r.key));
    }
    if (p != null) {
      facts.put("rows", String.format("%,d read, %,d profiled", p.rowsRead, p.rowsProfiled));
    }
    facts.put("table size", r.tableBytes == null ? null
        : ProfileReport.bytes(r.tableBytes) + " (catalog, with indexes)");
    facts.put("growth", r.growth == null ? null : String.format("by %s: %,.1f rows/day over the"
        + " last 30 days, %,.1f over 90 days", r.growth.column, r.growth.rowsPerDay30,
        r.growth.rowsPerDay90));
    facts.put("target fit", r.target == null ? "not checked" : "checked against " + r.target);
    facts.put("took", String.format("%.1f s", r.seconds));
    facts.put("error", r.error);
    page.facts(facts).list("notes", r.notes);
    if (p == null) {
      return page;
    }
    charts(page, p);
    columns(page, p);
    findings(page, p);
    return page;
  }

  private static void charts(HtmlPage page, TableProfile p) {
    List<String> names = new ArrayList<>();
    List<Double> nullPercent = new ArrayList<>();
    for (ColumnProfile c : p.columns) {
      names.add(c.name);
      nullPercent.add(Math.round(c.nullRate * 1000) / 10.0);
    }
    page.heading("Columns at a glance");
    page.chart("NULL share per column (% of rows)", Charts.horizontalBars(names, nullPercent,
        "% NULL", ORANGE), 60 + 24 * names.size());
    if (p.rowsPerMonth != null && !p.rowsPerMonth.isEmpty()) {
      page.chart("Rows per month (growth)", Charts.bars(new ArrayList<>(p.rowsPerMonth.keySet()),
          new ArrayList<>(p.rowsPerMonth.values()), "rows"), 300);
    }
    page.grid();
    for (ColumnProfile c : p.columns) {
      if (c.lengths != null && !c.lengths.isEmpty()) {
        page.chart(c.name + ": value lengths (bytes)", Charts.bars(c.lengths.stream()
            .map(b -> b.from() == b.to() ? String.valueOf(b.from()) : b.from() + "–" + b.to())
            .collect(Collectors.toList()), c.lengths.stream().map(ColumnProfile.LengthBin::count)
            .collect(Collectors.toList()), "values"), 240);
      }
      if (c.topValues != null && !c.topValues.isEmpty()) {
        page.chart(c.name + ": top values", Charts.horizontalBars(c.topValues.stream()
            .map(ColumnProfile.ValueCount::value).collect(Collectors.toList()),
            c.topValues.stream().map(ColumnProfile.ValueCount::count)
                .collect(Collectors.toList()), "rows"), 60 + 22 * c.topValues.size());
      }
    }
    page.endGrid();
  }

  private static void columns(HtmlPage page, TableProfile p) {
    List<List<String>> rows = new ArrayList<>();
    for (ColumnProfile c : p.columns) {
      rows.add(List.of(c.name, nz(c.type), String.format("%,d", c.nulls),
          String.format("%.1f%%", 100 * c.nullRate),
          (c.distinctEstimated ? "~" : "") + String.format("%,d", c.distinct), nz(c.min),
          nz(c.max), number(c.maxLength), number(c.p99Length),
          c.totalBytes == null ? "" : ProfileReport.bytes(c.totalBytes),
          Boolean.TRUE.equals(c.largeObjects) ? String.format("%,d", c.largeValues) : ""));
    }
    page.heading("Columns");
    page.paragraph("Lengths in bytes (text as UTF-8); distinct counts marked ~ are estimates"
        + " (about 0.8% standard error), never above the values counted.");
    page.table(List.of("column", "type", "NULLs", "NULL %", "distinct", "min", "max",
        "max length", "p99 length", "bytes", "large values"), rows);
  }

  private static void findings(HtmlPage page, TableProfile p) {
    page.heading("Findings (reported, not failed)");
    if (p.findings.isEmpty()) {
      page.paragraph("None.");
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Finding f : p.findings) {
      rows.add(List.of(f.kind.toString(), f.column == null ? "(key)" : f.column,
          String.format("%,d", f.count), String.format("%,d", f.rows),
          f.examples.stream().map(e -> e.key + (e.detail == null ? "" : " (" + e.detail + ")"))
              .collect(Collectors.joining("; ")), f.kind.meaning()));
    }
    page.table(List.of("finding", "column", "values", "rows", "example keys", "meaning"), rows);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String number(Long n) {
    return n == null ? "" : String.format("%,d", n);
  }
}
