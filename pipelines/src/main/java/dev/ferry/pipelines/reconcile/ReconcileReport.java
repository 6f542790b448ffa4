package dev.ferry.pipelines.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.report.JobReport;
import dev.ferry.pipelines.report.html.HtmlPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reconcile found, for the console and as a JSON report. Holds nothing that changes from
 * run to run on unchanged data (no times, no run ids), so running it again writes the same file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"job", "status", "exitCode", "error", "notice", "source", "target", "method",
    "rowHashes", "fastPath", "rules", "rows", "counts", "differences", "differenceRate", "tolerance",
    "mismatchesByColumn", "sourceRowsRejectedByMapping", "missingRejectedByMapping",
    "missingDeadLettered", "accepted", "sample", "examples", "differencesFile",
    "repair", "serverCheck"})
public final class ReconcileReport implements JobReport {
  /** Exit codes: those of every command ({@link ExitCodes}). */

  @JsonProperty public String job;
  /** ok, differences (beyond the tolerance), failed or invalid. */
  @JsonProperty public String status;
  @JsonProperty public int exitCode;
  @JsonProperty public String error;
  /** What a reader must know before the numbers (an empty target: nothing copied yet). */
  @JsonProperty public String notice;
  @JsonProperty public Side source;
  @JsonProperty public Side target;
  /** full, fast-path or sample. */
  @JsonProperty public String method;
  /**
   * Full comparison only: sql when rows were compared by hashes computed in the databases (and
   * only keys with differing hashes were read whole), absent when every row was read whole.
   */
  @JsonProperty public String rowHashes;
  @JsonProperty public FastPath fastPath;
  @JsonProperty public Map<String, Object> rules;
  @JsonProperty public Rows rows;
  /** Keys per class: match, missing, extra, duplicate, mismatched. */
  @JsonProperty public Map<String, Long> counts;
  @JsonProperty public Long differences;
  @JsonProperty public Double differenceRate;
  @JsonProperty public Double tolerance;
  @JsonProperty public Map<String, Long> mismatchesByColumn;
  @JsonProperty public Long sourceRowsRejectedByMapping;
  /** Missing keys whose source row the mapping rejects (as the backfill's dead letters say). */
  @JsonProperty public Long missingRejectedByMapping;
  /** Missing keys, not rejected by the mapping, with an open dead letter of the job. */
  @JsonProperty public Long missingDeadLettered;
  /**
   * Keys missing from the target whose dead letters a person accepted ({@code ferry deadletters
   * accept}): listed under counts as {@code accepted}, not counted as differences.
   */
  @JsonProperty public Long accepted;
  @JsonProperty public Sample sample;
  /** The first keys of each class (in key order) with both sides' values. */
  @JsonProperty public Map<String, List<JsonNode>> examples;
  @JsonProperty public String differencesFile;
  @JsonProperty public Repair repair;
  /** The servers' own comparison of the buckets whose checksums differ. */
  @JsonProperty public ServerCheck serverCheck;

  @JsonIgnore public double seconds;

  /** One side of the comparison. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Side {
    @JsonProperty public String endpoint;
    @JsonProperty public String table;
    @JsonProperty public List<String> key;
  }

  /** How the fast path went. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class FastPath {
    /** sql or pipeline. */
    @JsonProperty public String checksums;
    /**
     * How SQL hashes rows: native (PostgreSQL's own type hashes, both sides PostgreSQL with the
     * same types) or md5 (the canonical texts both engines share).
     */
    @JsonProperty public String rowHash;
    /** Why the checksums were not computed in SQL. */
    @JsonProperty public String reason;
    @JsonProperty public String buckets;
    @JsonProperty public long ranges;
    /** The bucket statistics exist only when the checksums ran in SQL. */
    @JsonProperty public Long bucketsCompared;
    @JsonProperty public Long bucketsDiffering;
    @JsonProperty public Long rowsInEqualBuckets;
    @JsonProperty public Long sourceRowsJoined;
    @JsonProperty public Long targetRowsJoined;
    /**
     * Where the rows of differing buckets were joined: launcher (over JDBC, no pipeline, for
     * fewer rows than --joinInLauncherBelow) or pipeline; absent when none differ.
     */
    @JsonProperty public String joinedIn;
  }

  /** Row counts and whole-table checksums. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Rows {
    @JsonProperty public long source;
    @JsonProperty public long target;
    @JsonProperty public String sourceChecksum;
    @JsonProperty public String targetChecksum;
  }

  /** A sampling validation's result. */
  public static final class Sample {
    @JsonProperty public long sampled;
    @JsonProperty public long seed;
    @JsonProperty public long errors;
    @JsonProperty public double errorRate;
    @JsonProperty public double confidence;
    @JsonProperty public double low;
    @JsonProperty public double high;
  }

  /**
   * The servers' own comparison ({@code dev.ferry.reconcile.ServerRowCheck}): canonical texts
   * computed in SQL on each side for the rows of the buckets whose checksums differ.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class ServerCheck {
    @JsonProperty public long bucketsDiffering;
    @JsonProperty public Long keysDiffering;
    /** Keys the servers see differ that ferry's own reading of the rows found equal. */
    @JsonProperty public Long keysOnlyTheServersSee;
    /** Ranges whose checksums differ while no row does: not proven equal. */
    @JsonProperty public Long unexplainedRanges;
    /**
     * The first differing keys (those ferry's reading missed first) with each server's canonical
     * text of the differing columns.
     */
    @JsonProperty public List<JsonNode> examples = new ArrayList<>();
  }

  /** What a repair did or wrote. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Repair {
    @JsonProperty public boolean applied;
    @JsonProperty public String sqlFile;
    @JsonProperty public long keysRecopied;
    @JsonProperty public long rowsWritten;
    @JsonProperty public long rowsDeadLettered;
    @JsonProperty public long keysDeleted;
    @JsonProperty public long rowsDeleted;
    /** Keys a repair cannot fix as asked, per reason. */
    @JsonProperty public Map<String, Long> notRepaired = new LinkedHashMap<>();
  }

  private static final int CONSOLE_KEYS_PER_CLASS = 5;
  private static final int CONSOLE_VALUE_CHARS = 60;

  /**
   * The first differing keys of each class, as data-diff prints them: {@code -} a source row
   * the target lacks, {@code +} a target row the source lacks, {@code ~} a mismatched key with
   * each differing column's {@code source → target} values.
   */
  private void appendFirstDifferences(StringBuilder sb) {
    if (examples == null || examples.isEmpty()) {
      return;
    }
    sb.append(String.format("  first differing keys (source → target):%n"));
    for (Map.Entry<String, List<JsonNode>> e : examples.entrySet()) {
      String mark = e.getKey().equals("missing") ? "-" : e.getKey().equals("extra") ? "+" : "~";
      for (JsonNode n : e.getValue().subList(0, Math.min(CONSOLE_KEYS_PER_CLASS,
          e.getValue().size()))) {
        StringBuilder line = new StringBuilder(String.format("    %s %-10s %s", mark, e.getKey(),
            n.get("key")));
        if (n.has("rejectedByMappingAt")) {
          line.append("  rejected by the mapping at ").append(n.get("rejectedByMappingAt")
              .asText());
        }
        JsonNode source = first(n.get("source"));
        JsonNode target = first(n.get("target"));
        if (n.has("columns") && source != null && target != null) {
          for (JsonNode column : n.get("columns")) {
            String c = column.asText();
            line.append(String.format("  %s: %s → %s", c, shorten(source.get(c)),
                shorten(target.get(c))));
          }
        }
        sb.append(line).append(String.format("%n"));
      }
      if (e.getValue().size() > CONSOLE_KEYS_PER_CLASS) {
        sb.append(String.format("      … %s: see the report's examples and the differences"
            + " file%n", e.getKey()));
      }
    }
  }

  private static JsonNode first(JsonNode rows) {
    return rows != null && rows.isArray() && rows.size() > 0 ? rows.get(0) : null;
  }

  private static String shorten(JsonNode value) {
    String text = value == null ? "(none)" : value.toString();
    return text.length() <= CONSOLE_VALUE_CHARS ? text
        : text.substring(0, CONSOLE_VALUE_CHARS - 1) + "…";
  }

  /** Why rows are missing, when the job's dead letters or the mapping say so. */
  private String missingDetail() {
    List<String> parts = new ArrayList<>();
    if (missingRejectedByMapping != null) {
      parts.add(String.format("%,d rejected by the mapping", missingRejectedByMapping));
    }
    if (missingDeadLettered != null) {
      parts.add(String.format("%,d dead-lettered", missingDeadLettered));
    }
    return parts.isEmpty() ? "" : "  (of which " + String.join(", ", parts)
        + ": ferry deadletters list)";
  }

  /** The human summary printed at the end of a run. */
  @Override
  public String toConsole() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%n== ferry reconcile %s: %s ==%n", job,
        status == null ? "?" : status.toUpperCase()));
    if (source != null) {
      sb.append(String.format("  source        %s %s%n", source.endpoint, source.table));
      sb.append(String.format("  target        %s %s%n", target.endpoint, target.table));
    }
    if (notice != null) {
      sb.append(String.format("  NOTE          %s%n", notice));
    }
    if (method != null) {
      String detail = "";
      if (fastPath != null && fastPath.bucketsCompared != null) {
        detail = String.format(" (checksums in SQL: %,d of %,d buckets differ, %,d + %,d rows"
            + " joined%s)", fastPath.bucketsDiffering, fastPath.bucketsCompared,
            fastPath.sourceRowsJoined, fastPath.targetRowsJoined,
            fastPath.joinedIn == null ? "" : " in the " + fastPath.joinedIn);
      } else if (fastPath != null) {
        detail = " (compared in full: " + fastPath.reason + ")";
      }
      sb.append(String.format("  method        %s%s%n", method, detail));
    }
    if (rows != null) {
      sb.append(String.format("  rows          source %,d, target %,d%s%n", rows.source,
          rows.target, rows.sourceChecksum == null ? ""
              : rows.sourceChecksum.equals(rows.targetChecksum) ? ", checksums equal"
              : ", checksums differ"));
    }
    if (counts != null) {
      for (Map.Entry<String, Long> e : counts.entrySet()) {
        String detail = e.getKey().equals("mismatched") && mismatchesByColumn != null
            && !mismatchesByColumn.isEmpty() ? "  " + mismatchesByColumn
            : e.getKey().equals("missing") ? missingDetail()
            : e.getKey().equals("accepted") ? "  (dead letters accepted with ferry deadletters"
                + " accept: no difference)" : "";
        sb.append(String.format("  %-13s %,d%s%n", e.getKey(), e.getValue(), detail));
      }
    }
    if (sample != null) {
      sb.append(String.format("  sample        %,d errors in %,d keys: %.4f%% (95%% CI %.4f%%"
          + " to %.4f%%)%n", sample.errors, sample.sampled, sample.errorRate * 100,
          sample.low * 100, sample.high * 100));
    }
    if (differences != null) {
      sb.append(String.format("  differences   %,d (%.4f%%, tolerance %.4f%%)%n", differences,
          differenceRate * 100, tolerance * 100));
    }
    appendFirstDifferences(sb);
    if (serverCheck != null && serverCheck.keysDiffering != null) {
      sb.append(String.format("  servers' own  %,d keys differ by the servers' canonical texts"
          + " (%,d of them not seen by ferry's reading)%s%n", serverCheck.keysDiffering,
          serverCheck.keysOnlyTheServersSee, serverCheck.unexplainedRanges == 0 ? ""
              : String.format("; %,d ranges differ without a differing row",
                  serverCheck.unexplainedRanges)));
      for (JsonNode e : serverCheck.examples) {
        sb.append(String.format("    %s%n", e));
      }
    }
    if (differencesFile != null) {
      sb.append(String.format("  all keys in   %s%n", differencesFile));
    }
    if (repair != null) {
      sb.append(String.format("  repair        %s%,d keys re-copied (%,d rows written, %,d"
          + " dead-lettered), %,d rows deleted%s%s%n", repair.applied ? "" : "(not applied) ",
          repair.keysRecopied, repair.rowsWritten, repair.rowsDeadLettered, repair.rowsDeleted,
          repair.sqlFile == null ? "" : "; SQL in " + repair.sqlFile,
          repair.notRepaired.isEmpty() ? "" : "; not repaired: " + repair.notRepaired));
    }
    if (error != null) {
      sb.append(String.format("  error         %s%n", error));
    }
    sb.append(String.format("  took          %.1f s%n  exit code     %d%n", seconds, exitCode));
    return sb.toString();
  }

  @Override
  public HtmlPage page() {
    return ReconcilePage.of(this);
  }
}
