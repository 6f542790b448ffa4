package dev.ferry.pipelines.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.pipelines.report.html.Charts;
import dev.ferry.pipelines.report.html.HtmlPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reconcile as a page for people: what was compared and how, the keys per class, the
 * columns that differ most, and the first differing keys with each differing column's
 * {@code source → target} values (the report's examples; values of sensitive columns arrive
 * masked).
 */
final class ReconcilePage {
  private ReconcilePage() {}

  static HtmlPage of(ReconcileReport r) {
    HtmlPage page = HtmlPage.of("ferry reconcile", r.job, r.status, r.exitCode);
    Map<String, String> facts = new LinkedHashMap<>();
    if (r.source != null) {
      facts.put("source", r.source.endpoint + " " + r.source.table);
      facts.put("target", r.target.endpoint + " " + r.target.table);
    }
    facts.put("notice", r.notice);
    facts.put("method", r.method);
    if (r.fastPath != null) {
      facts.put("fast path", r.fastPath.bucketsCompared != null
          ? String.format("checksums in SQL: %,d of %,d buckets differ",
              r.fastPath.bucketsDiffering, r.fastPath.bucketsCompared)
          : "compared in full: " + r.fastPath.reason);
    }
    if (r.rows != null) {
      facts.put("rows", String.format("source %,d, target %,d%s", r.rows.source, r.rows.target,
          r.rows.sourceChecksum == null ? "" : r.rows.sourceChecksum.equals(
              r.rows.targetChecksum) ? ", checksums equal" : ", checksums differ"));
    }
    if (r.differences != null) {
      facts.put("differences", String.format("%,d (%.4f%%, tolerance %.4f%%)", r.differences,
          r.differenceRate * 100, r.tolerance * 100));
    }
    if (r.sourceRowsRejectedByMapping != null) {
      facts.put("rejected by the mapping", String.format("%,d source rows",
          r.sourceRowsRejectedByMapping));
    }
    if (r.sample != null) {
      facts.put("sample", String.format("%,d errors in %,d keys: %.4f%% (95%% CI %.4f%% to"
          + " %.4f%%)", r.sample.errors, r.sample.sampled, r.sample.errorRate * 100,
          r.sample.low * 100, r.sample.high * 100));
    }
    facts.put("all differing keys", r.differencesFile);
    facts.put("took", String.format("%.1f s", r.seconds));
    facts.put("error", r.error);
    page.facts(facts);
    charts(page, r);
    differingKeys(page, r);
    return page;
  }

  private static void charts(HtmlPage page, ReconcileReport r) {
    if (r.counts == null || r.counts.isEmpty()) {
      return;
    }
    page.grid();
    page.chart("Keys per class", Charts.horizontalBars(new ArrayList<>(r.counts.keySet()),
        new ArrayList<>(r.counts.values()), "keys"), 60 + 28 * r.counts.size());
    if (r.mismatchesByColumn != null && !r.mismatchesByColumn.isEmpty()) {
      page.chart("Mismatched keys by column", Charts.horizontalBars(
          new ArrayList<>(r.mismatchesByColumn.keySet()),
          new ArrayList<>(r.mismatchesByColumn.values()), "keys"),
          60 + 28 * r.mismatchesByColumn.size());
    }
    page.endGrid();
  }

  /** One table row per differing column of each example key (one per key without columns). */
  private static void differingKeys(HtmlPage page, ReconcileReport r) {
    page.heading("First differing keys (source → target)");
    if (r.examples == null || r.examples.isEmpty()) {
      page.paragraph(r.counts == null ? "Not compared." : "No differing keys.");
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, List<JsonNode>> e : r.examples.entrySet()) {
      for (JsonNode n : e.getValue()) {
        String key = n.path("key").toString();
        JsonNode source = first(n.get("source"));
        JsonNode target = first(n.get("target"));
        if (n.has("rejectedByMappingAt")) {
          rows.add(List.of(e.getKey(), key, n.get("rejectedByMappingAt").asText(),
              "rejected by the mapping", ""));
        } else if (n.has("columns") && n.get("columns").size() > 0) {
          for (JsonNode column : n.get("columns")) {
            String c = column.asText();
            rows.add(List.of(e.getKey(), key, c, value(source, c), value(target, c)));
          }
        } else {
          rows.add(List.of(e.getKey(), key, "(whole row)", row(source), row(target)));
        }
      }
    }
    page.paragraph("The first keys of each class in key order; the differences file lists"
        + " them all.");
    page.table(List.of("class", "key", "column", "source", "target"), rows);
  }

  private static JsonNode first(JsonNode rows) {
    return rows != null && rows.isArray() && rows.size() > 0 ? rows.get(0) : null;
  }

  private static String value(JsonNode row, String column) {
    return row == null ? "(no row)" : row.has(column) ? row.get(column).toString() : "(none)";
  }

  private static String row(JsonNode row) {
    return row == null ? "(no row)" : row.toString();
  }
}
