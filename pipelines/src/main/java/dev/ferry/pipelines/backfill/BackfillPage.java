package dev.ferry.pipelines.backfill;

import dev.ferry.pipelines.report.html.Charts;
import dev.ferry.pipelines.report.html.HtmlPage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A backfill (or fill) run as a page for people: its ranges, rows and dead letters. */
final class BackfillPage {
  private BackfillPage() {}

  static HtmlPage of(RunSummary s) {
    String kind = "fill".equals(s.kind) ? "fill" : "backfill";
    HtmlPage page = HtmlPage.of("ferry " + kind, s.job, s.status, s.exitCode);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("source", s.source);
    facts.put("target", s.target);
    facts.put("run", s.runId + (s.resumed ? " (resumed)" : ""));
    facts.put("since", s.since);
    facts.put("ranges", String.format("%d of %d done (%d in this run)", s.rangesDone,
        s.rangesTotal, s.rangesThisRun));
    facts.put("this run", String.format("%,d read, %,d written, %,d dead-lettered in %.1f s"
        + " (%,.0f rows/s)", s.rowsRead, s.rowsWritten, s.rowsDeadLettered, s.seconds,
        s.rowsPerSecond));
    facts.put("committed", s.rowsCommitted == null ? null
        : String.format("%,d rows of this run, by the checkpoints", s.rowsCommitted));
    facts.put("whole job", String.format("%,d read, %,d written, %,d dead-lettered",
        s.jobRowsRead, s.jobRowsWritten, s.jobRowsDeadLettered));
    facts.put("dead letters", s.jobRowsDeadLettered == 0 ? null : "in " + s.deadLetterTable
        + " (limit " + s.maxDeadLetters + ")");
    facts.put("watermark", s.watermark);
    facts.put("error", s.error);
    page.facts(facts);
    page.grid();
    page.chart("Rows this run", Charts.bars(List.of("read", "written", "dead-lettered"),
        List.of(s.rowsRead, s.rowsWritten, s.rowsDeadLettered), "rows"), 260);
    Map<String, Long> ranges = new LinkedHashMap<>();
    ranges.put("done before", Math.max(0, s.rangesDone - s.rangesThisRun));
    ranges.put("done in this run", s.rangesThisRun);
    ranges.put("left", s.rangesTotal - s.rangesDone);
    page.chart("Ranges", Charts.ring(ranges), 260);
    page.endGrid();
    return page;
  }
}
