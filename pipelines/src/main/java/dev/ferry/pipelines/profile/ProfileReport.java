package dev.ferry.pipelines.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.pipelines.report.JobReport;
import dev.ferry.profile.ColumnProfile;
import dev.ferry.profile.Finding;
import dev.ferry.profile.Growth;
import dev.ferry.profile.TableProfile;
import dev.ferry.pipelines.report.html.HtmlPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a profile run found, as a console table and (for tools) as JSON. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ProfileReport implements JobReport {
  /** Process exit codes: findings never fail a profile, errors do. */

  private static final int CELL = 24;

  @JsonProperty public String job;
  @JsonProperty public String status;
  @JsonProperty public int exitCode;
  @JsonProperty public String error;
  @JsonProperty public String source;
  @JsonProperty public String relation;
  @JsonProperty public List<String> key;
  @JsonProperty public String target;
  @JsonProperty public Long tableBytes;
  @JsonProperty public Growth growth;
  @JsonProperty public TableProfile profile;
  /** Why a measurement is missing (no created-at column, target table not there yet, …). */
  @JsonProperty public List<String> notes = new ArrayList<>();
  @JsonProperty public double seconds;

  /** Writes the JSON report to {@code location} and the HTML page beside it. */

  /** The readable report printed at the end of a run. */
  @Override
  public String toConsole() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%n== ferry profile %s: %s ==%n", job, status.toUpperCase(Locale.ROOT)));
    line(sb, "source", source + (relation == null ? "" : ", " + relation
        + (key == null || key.isEmpty() ? " (no key: read in one scan)" : " keyed by " + key)));
    if (profile != null) {
      line(sb, "rows", String.format("%,d read, %,d profiled in %.1f s", profile.rowsRead,
          profile.rowsProfiled, seconds));
    }
    if (tableBytes != null) {
      line(sb, "table size", bytes(tableBytes) + " (catalog, with indexes)");
    }
    if (growth != null) {
      line(sb, "growth", String.format("by %s: %,.1f rows/day over the last 30 days, %,.1f over"
          + " 90 days", growth.column, growth.rowsPerDay30, growth.rowsPerDay90));
    }
    line(sb, "target fit", target == null ? "not checked" : "checked against " + target);
    for (String note : notes) {
      line(sb, "note", note);
    }
    if (profile != null) {
      columns(sb);
      findings(sb);
    }
    if (error != null) {
      line(sb, "error", error);
    }
    line(sb, "exit code", String.valueOf(exitCode));
    return sb.toString();
  }

  private void columns(StringBuilder sb) {
    String format = "  %-20s %-16s %12s %7s %12s %-" + CELL + "s %-" + CELL
        + "s %9s %9s %10s %s%n";
    sb.append(String.format("%n" + format, "column", "type", "nulls", "null%", "distinct",
        "min", "max", "max len", "p99 len", "bytes", "large"));
    for (ColumnProfile c : profile.columns) {
      sb.append(String.format(format, cell(c.name, 20), cell(c.type, 16),
          String.format("%,d", c.nulls), String.format("%.1f%%", 100 * c.nullRate),
          (c.distinctEstimated ? "~" : "") + String.format("%,d", c.distinct), cell(c.min, CELL),
          cell(c.max, CELL),
          c.maxLength == null ? "" : String.format("%,d", c.maxLength),
          c.p99Length == null ? "" : String.format("%,d", c.p99Length),
          c.totalBytes == null ? "" : bytes(c.totalBytes),
          Boolean.TRUE.equals(c.largeObjects) ? String.format("%,d over %s", c.largeValues,
              bytes(profile.largeValueBytes)) : ""));
    }
  }

  private void findings(StringBuilder sb) {
    if (profile.findings.isEmpty()) {
      sb.append(String.format("%n  findings: none%n"));
      return;
    }
    sb.append(String.format("%n  findings (reported, not failed):%n"));
    for (Finding f : profile.findings) {
      String amount = f.rows != f.count
          ? String.format("%,d values in %,d rows", f.count, f.rows)
          : String.format("%,d", f.count);
      String examples = f.examples.isEmpty() ? "" : "  e.g. " + f.examples.stream()
          .map(e -> e.key).collect(Collectors.joining(", "));
      sb.append(String.format("  %-19s %-20s %s%s%n", f.kind, f.column == null ? "(key)"
          : cell(f.column, 20), amount, examples));
    }
    sb.append("  meaning:\n");
    profile.findings.stream().map(f -> f.kind).distinct().forEach(kind ->
        sb.append(String.format("    %-19s %s%n", kind, kind.meaning())));
  }

  private static void line(StringBuilder sb, String label, String text) {
    sb.append(String.format("  %-12s %s%n", label, text));
  }

  private static String cell(String text, int width) {
    if (text == null) {
      return "";
    }
    String oneLine = text.replaceAll("\\s", " ");
    return oneLine.length() <= width ? oneLine : oneLine.substring(0, width - 1) + "…";
  }

  /** A byte count for people: 1.5 MiB. */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }

  @Override
  public HtmlPage page() {
    return ProfilePage.of(this);
  }
}
