package dev.ferry.pipelines.dryrun;

import dev.ferry.pipelines.profile.ProfileReport;
import dev.ferry.pipelines.report.html.Charts;
import dev.ferry.pipelines.report.html.HtmlPage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dry run as a page for people: what the sample measured, the estimate for the whole table
 * split into the parts it is made of, and the assumptions behind it.
 */
final class DryRunPage {
  private DryRunPage() {}

  static HtmlPage of(DryRunReport r) {
    HtmlPage page = HtmlPage.of("ferry dry run", r.job, r.status, r.exitCode);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("source", r.source);
    facts.put("written to", r.writtenTo);
    if (r.writtenTo != null) {
      facts.put("sample", String.format("%d of %,d planned ranges (%.2f%%): %,d rows read, %,d"
          + " written, %,d dead-lettered", r.rangesSampled, r.rangesPlanned, r.samplePercent,
          r.rowsRead, r.rowsWritten, r.rowsDeadLettered));
      facts.put("timing", String.format("sample %.2f s, fixed cost %.2f s, planning %.2f s",
          r.sampleSeconds, r.fixedSeconds, r.planSeconds));
    }
    facts.put("estimate", r.estimatedSeconds == null ? null : String.format("full table of %,d"
        + " rows: %s%s", r.rowsInTable, DryRunReport.duration(r.estimatedSeconds),
        r.rowsPerSecond == null ? "" : String.format(" (%,.0f rows/s after the fixed cost)",
            r.rowsPerSecond)));
    facts.put("target size", r.estimatedTargetBytes == null ? null
        : ProfileReport.bytes(r.estimatedTargetBytes) + " for the full table");
    facts.put("after " + r.months + " months", r.estimatedTargetBytesAfterMonths == null ? null
        : ProfileReport.bytes(r.estimatedTargetBytesAfterMonths));
    facts.put("took", String.format("%.1f s", r.seconds));
    facts.put("error", r.error);
    page.facts(facts).list("notes", r.notes);
    if (r.estimatedSeconds != null) {
      double rowSeconds = Math.max(0, r.estimatedSeconds - r.planSeconds - r.fixedSeconds);
      Map<String, Double> parts = new LinkedHashMap<>();
      parts.put("planning", round(r.planSeconds));
      parts.put("fixed cost", round(r.fixedSeconds));
      parts.put("rows", round(rowSeconds));
      page.chart("Where the estimated time goes (s)", Charts.ring(parts), 260);
    }
    if (!r.assumptions.isEmpty()) {
      page.heading("Assumptions").list("notes", r.assumptions);
    }
    return page;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 100) / 100.0;
  }
}
