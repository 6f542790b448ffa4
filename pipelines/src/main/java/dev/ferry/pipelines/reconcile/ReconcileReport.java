package dev.ferry.pipelines.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.spec.ReportFiles;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reconcile found, for the console and as a JSON report. Holds nothing that changes from
 * run to run on unchanged data (no times, no run ids), so running it again writes the same file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"job", "status", "exitCode", "error", "source", "target", "method",
    "rowHashes", "fastPath", "rules", "rows", "counts", "differences", "differenceRate", "tolerance",
    "mismatchesByColumn", "sourceRowsRejectedByMapping", "sample", "examples", "differencesFile",
    "repair"})
public final class ReconcileReport {
  /** Exit codes: those of the backfill, and one for differences beyond the tolerance. */
  public static final int EXIT_OK = RunSummary.EXIT_OK;
  public static final int EXIT_FAILED = RunSummary.EXIT_FAILED;
  public static final int EXIT_INVALID_SPEC = RunSummary.EXIT_INVALID_SPEC;
  public static final int EXIT_DIFFERENCES = 4;

  @JsonProperty public String job;
  /** ok, differences (beyond the tolerance), failed or invalid. */
  @JsonProperty public String status;
  @JsonProperty public int exitCode;
  @JsonProperty public String error;
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
  @JsonProperty public Sample sample;
  /** The first keys of each class (in key order) with both sides' values. */
  @JsonProperty public Map<String, List<JsonNode>> examples;
  @JsonProperty public String differencesFile;
  @JsonProperty public Repair repair;

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

  public void writeTo(String location) throws IOException {
    ReportFiles.writeJson(location, this);
  }

  /** The human summary printed at the end of a run. */
  public String toConsole() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%n== ferry reconcile %s: %s ==%n", job,
        status == null ? "?" : status.toUpperCase()));
    if (source != null) {
      sb.append(String.format("  source        %s %s%n", source.endpoint, source.table));
      sb.append(String.format("  target        %s %s%n", target.endpoint, target.table));
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
            && !mismatchesByColumn.isEmpty() ? "  " + mismatchesByColumn : "";
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
}
