package dev.ferry.pipelines.dryrun;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.report.JobReport;
import dev.ferry.pipelines.profile.ProfileReport;
import dev.ferry.profile.Growth;
import dev.ferry.pipelines.report.html.HtmlPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a dry run measured and what it extrapolates to. The model (see {@link #extrapolate}):
 * a run costs a fixed time (planning, pipeline start, one connection, query and checkpoint per
 * range) plus a time per row; the sample has as many ranges as the full job, so the fixed part
 * is measured on the same number of empty ranges and the rest scales with rows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class DryRunReport implements JobReport {
  /** Mean days per month, for growth over months. */
  static final double DAYS_PER_MONTH = 365.25 / 12;

  @JsonProperty public String job;
  @JsonProperty public String status;
  @JsonProperty public int exitCode;
  @JsonProperty public String error;
  @JsonProperty public String source;
  @JsonProperty public String writtenTo;
  @JsonProperty public double samplePercent;
  @JsonProperty public int rangesPlanned;
  @JsonProperty public int rangesSampled;
  @JsonProperty public long rowsInTable;
  @JsonProperty public long rowsRead;
  @JsonProperty public long rowsWritten;
  @JsonProperty public long rowsDeadLettered;
  /** Rows written by the untimed warm-up sample (they count for the target size). */
  @JsonProperty public long warmupRows;
  @JsonProperty public double planSeconds;
  /** From the command's start to its first pipeline: spec, connections, planning, state. */
  @JsonProperty public double setupSeconds;
  /** The untimed warm-up sample's pipeline: it pays the JVM's start-up, as a backfill does. */
  @JsonProperty public double warmupSeconds;
  /** What the warm-up took beyond a warm run of its rows: a fresh JVM's start-up. */
  @JsonProperty public double startUpSeconds;
  @JsonProperty public double sampleSeconds;
  @JsonProperty public double fixedSeconds;
  @JsonProperty public Double rowsPerSecond;
  @JsonProperty public Double estimatedSeconds;
  @JsonProperty public Double bytesPerRow;
  @JsonProperty public Long estimatedTargetBytes;
  @JsonProperty public Growth growth;
  @JsonProperty public int months;
  @JsonProperty public Long estimatedTargetBytesAfterMonths;
  @JsonProperty public List<String> assumptions = new ArrayList<>();
  @JsonProperty public List<String> notes = new ArrayList<>();
  @JsonProperty public double seconds;

  /**
   * Fills the estimates from the measurements: full time = setup + start-up + fixed + (sample −
   * fixed) × rows in table / rows sampled, where start-up is what the warm-up took beyond a warm
   * run of its rows (a fresh JVM's class loading and compilation, which the backfill pays too);
   * target bytes = bytes per written row × rows in table, and after {@code months} at the last
   * 30 days' growth.
   */
  void extrapolate() {
    double rowSeconds = Math.max(0, sampleSeconds - fixedSeconds);
    double perRow = rowsRead > 0 ? rowSeconds / rowsRead : 0;
    startUpSeconds = warmupRows > 0
        ? Math.max(0, warmupSeconds - fixedSeconds - perRow * warmupRows) : 0;
    double before = Math.max(setupSeconds, planSeconds) + startUpSeconds + fixedSeconds;
    if (rowsRead > 0) {
      rowsPerSecond = rowSeconds > 0 ? rowsRead / rowSeconds : null;
      estimatedSeconds = before + perRow * rowsInTable;
    } else if (rowsInTable == 0) {
      estimatedSeconds = before;
    } else {
      notes.add("the sampled ranges held no rows: no time per row to extrapolate from");
    }
    if (bytesPerRow != null) {
      estimatedTargetBytes = Math.round(bytesPerRow * rowsInTable);
      if (growth != null) {
        estimatedTargetBytesAfterMonths = Math.round(bytesPerRow
            * (rowsInTable + growth.rowsPerDay30 * DAYS_PER_MONTH * months));
      }
    }
  }

  /** Writes the JSON report to {@code location} and the HTML page beside it. */

  @Override
  public String toConsole() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%n== ferry dry run %s: %s ==%n", job,
        status.toUpperCase(Locale.ROOT)));
    line(sb, "source", source);
    if (writtenTo != null) {
      line(sb, "written to", writtenTo);
      line(sb, "sample", String.format("%d of %,d planned ranges (%.2f%%): %,d rows read, %,d"
          + " written, %,d dead-lettered", rangesSampled, rangesPlanned, samplePercent,
          rowsRead, rowsWritten, rowsDeadLettered));
      line(sb, "warm-up", String.format("%,d rows of the neighbouring ranges, written first and"
          + " not timed", warmupRows));
      line(sb, "timing", String.format("sample %.2f s, fixed cost %.2f s (same pipeline over"
          + " %d empty ranges), warm-up %.2f s, setup %.2f s (planning %.2f s)", sampleSeconds,
          fixedSeconds, rangesSampled, warmupSeconds, setupSeconds, planSeconds));
    }
    if (estimatedSeconds != null) {
      line(sb, "estimate", String.format("full table of %,d rows: %s%s", rowsInTable,
          duration(estimatedSeconds), rowsPerSecond == null ? ""
              : String.format(" = setup %.1f s + start-up %.1f s + fixed %.1f s + rows at"
                  + " %,.0f rows/s", Math.max(setupSeconds, planSeconds), startUpSeconds,
                  fixedSeconds, rowsPerSecond)));
    }
    if (estimatedTargetBytes != null) {
      line(sb, "target size", String.format("%s for the full table (%,.0f bytes/row measured)",
          ProfileReport.bytes(estimatedTargetBytes), bytesPerRow));
    }
    if (estimatedTargetBytesAfterMonths != null) {
      line(sb, "growth", String.format("%,.1f rows/day by %s over the last 30 days: %s after %d"
          + " months", growth.rowsPerDay30, growth.column, ProfileReport.bytes(estimatedTargetBytesAfterMonths),
          months));
    }
    for (String note : notes) {
      line(sb, "note", note);
    }
    if (!assumptions.isEmpty()) {
      sb.append("  assumptions:\n");
      for (String a : assumptions) {
        sb.append("    - ").append(a).append('\n');
      }
    }
    if (error != null) {
      line(sb, "error", error);
    }
    line(sb, "exit code", String.valueOf(exitCode));
    return sb.toString();
  }

  private static void line(StringBuilder sb, String label, String text) {
    sb.append(String.format("  %-12s %s%n", label, text));
  }

  static String duration(double seconds) {
    Duration d = Duration.ofMillis(Math.round(seconds * 1000));
    if (d.toHours() > 0) {
      return String.format("%dh %02dm %02ds", d.toHours(), d.toMinutesPart(),
          d.toSecondsPart());
    }
    if (d.toMinutes() > 0) {
      return String.format("%dm %02ds", d.toMinutes(), d.toSecondsPart());
    }
    return String.format("%.1f s", seconds);
  }

  @Override
  public HtmlPage page() {
    return DryRunPage.of(this);
  }
}
