package dev.ferry.pipelines.deadletters;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.spec.ReportFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What {@code ferry deadletters} found or did, for the console and as JSON. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class DeadLetterReport {
  private static final int CONSOLE_TEXT_CHARS = 80;

  @JsonProperty public String job;
  @JsonProperty public String action;
  @JsonProperty public String status;
  @JsonProperty public int exitCode;
  @JsonProperty public String error;
  @JsonProperty public String table;
  /** list: every dead letter of the job. */
  @JsonProperty public List<Listed> deadLetters;
  /** accept: how many were accepted now. */
  @JsonProperty public Long accepted;
  /** retry: what happened to the rows. */
  @JsonProperty public Retry retry;
  /** Dead letters of the job still open (not accepted, not written) afterwards. */
  @JsonProperty public Long open;
  @JsonProperty public Long maxDeadLetters;

  /** One dead letter as listed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Listed {
    @JsonProperty public String key;
    @JsonProperty public String stage;
    @JsonProperty public String column;
    @JsonProperty public String error;
    @JsonProperty public String when;
    @JsonProperty public String runId;
    @JsonProperty public String fingerprint;
    @JsonProperty public String acceptedAt;
    @JsonProperty public String note;
  }

  /** A retry's outcome. */
  public static final class Retry {
    @JsonProperty public String runId;
    @JsonProperty public long keys;
    @JsonProperty public long rowsRead;
    @JsonProperty public long rowsWritten;
    /** Rows rejected again; their dead letters now carry the new reason. */
    @JsonProperty public long rejectedAgain;
    /** Keys the source no longer has: nothing to copy, so their dead letters are removed. */
    @JsonProperty public long goneFromSource;
    /** Dead letters removed: their row is in the target now, or gone from the source. */
    @JsonProperty public long removed;
    @JsonProperty public List<String> reasons = new ArrayList<>();
  }

  public void writeTo(String location) throws IOException {
    ReportFiles.writeJson(location, this);
  }

  /** The human summary: a table of the dead letters, or what was accepted or retried. */
  public String toConsole() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%n== ferry deadletters %s %s: %s ==%n", action, job,
        status == null ? "?" : status.toUpperCase()));
    if (table != null) {
      sb.append(String.format("  table         %s%n", table));
    }
    if (deadLetters != null) {
      sb.append(String.format("  %-24s %-6s %-16s %-20s %s%n", "key", "stage", "column", "when",
          "reason"));
      for (Listed d : deadLetters) {
        sb.append(String.format("  %-24s %-6s %-16s %-20s %s%s%n", d.key, d.stage,
            d.column == null ? "-" : d.column, d.when, shorten(d.error),
            d.acceptedAt == null ? "" : "  [accepted " + d.acceptedAt
                + (d.note == null ? "" : ": " + d.note) + "]"));
      }
    }
    if (accepted != null) {
      sb.append(String.format("  accepted      %,d dead letters%n", accepted));
    }
    if (retry != null) {
      sb.append(String.format("  retried       %,d keys: %,d read again, %,d written, %,d"
          + " rejected again, %,d gone from the source%n", retry.keys, retry.rowsRead,
          retry.rowsWritten, retry.rejectedAgain, retry.goneFromSource));
      sb.append(String.format("  removed       %,d dead letters%n", retry.removed));
      for (String reason : retry.reasons) {
        sb.append(String.format("  still failing %s%n", shorten(reason)));
      }
    }
    if (open != null) {
      sb.append(String.format("  open          %,d dead letters (limit %,d)%n", open,
          maxDeadLetters));
    }
    if (error != null) {
      sb.append(String.format("  error         %s%n", error));
    }
    if (exitCode == ExitCodes.AUTHENTICATION) {
      sb.append(String.format("  login refused fix the user or password; retrying will not"
          + " help%n"));
    }
    sb.append(String.format("  exit code     %d%n", exitCode));
    return sb.toString();
  }

  private static String shorten(String text) {
    if (text == null) {
      return "";
    }
    String line = text.replace('\n', ' ');
    return line.length() <= CONSOLE_TEXT_CHARS ? line
        : line.substring(0, CONSOLE_TEXT_CHARS - 1) + "…";
  }
}
