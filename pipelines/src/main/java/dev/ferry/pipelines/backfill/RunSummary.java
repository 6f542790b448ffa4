package dev.ferry.pipelines.backfill;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.report.JobReport;
import dev.ferry.pipelines.report.html.HtmlPage;

/** What a backfill run did, for the console and (as JSON) for schedulers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RunSummary implements JobReport {
  /** Process exit codes, those of every command ({@link ExitCodes}). */

  @JsonProperty public String job;
  @JsonProperty public String runId;
  @JsonProperty public String fingerprint;
  @JsonProperty public String status;
  @JsonProperty public int exitCode;
  @JsonProperty public String error;
  @JsonProperty public String source;
  @JsonProperty public String target;
  @JsonProperty public String kind;
  @JsonProperty public boolean resumed;
  @JsonProperty public String since;
  @JsonProperty public String watermark;
  @JsonProperty public long rangesTotal;
  @JsonProperty public long rangesDone;
  @JsonProperty public long rangesThisRun;
  @JsonProperty public long rowsRead;
  /** Rows this run handed to the target's writers (a runner counter), committed or not. */
  @JsonProperty public long rowsWritten;
  /**
   * Rows of this run that the checkpoints vouch for, re-read from the state tables at the end
   * and made durable by the run's final synchronous commit; null when that could not be done
   * (the target was down), in which case none of this run's rows are confirmed.
   */
  @JsonProperty public Long rowsCommitted;
  @JsonProperty public long rowsDeadLettered;
  @JsonProperty public long retries;
  @JsonProperty public long jobRowsRead;
  @JsonProperty public long jobRowsWritten;
  @JsonProperty public long jobRowsDeadLettered;
  /** Dead letters of the job nobody accepted and no retry wrote: what exit code 3 counts. */
  @JsonProperty public long deadLettersOpen;
  /** Dead letters accepted with {@code ferry deadletters accept}. */
  @JsonProperty public long deadLettersAccepted;
  @JsonProperty public long maxDeadLetters;
  @JsonProperty public String deadLetterTable;
  @JsonProperty public double seconds;
  @JsonProperty public double rowsPerSecond;

  /** The human summary printed at the end of a run. */
  @Override
  public String toConsole() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%n== ferry %s %s: %s ==%n", "fill".equals(kind) ? "fill"
        : "backfill", job, status.toUpperCase()));
    sb.append(String.format("  source        %s%n  target        %s%n", source, target));
    sb.append(String.format("  ranges        %d of %d done (%d processed in this run%s)%n",
        rangesDone, rangesTotal, rangesThisRun, resumed ? ", resumed" : ""));
    boolean succeeded = exitCode == ExitCodes.OK || exitCode == ExitCodes.TOO_MANY_DEAD_LETTERS;
    sb.append(String.format("  this run      %,d read, %,d %s, %,d dead-lettered in %.1f s"
        + " (%,.0f rows/s)%n", rowsRead, rowsWritten, succeeded ? "written" : "sent to the"
        + " target", rowsDeadLettered, seconds, rowsPerSecond));
    if (!succeeded && status.equals("failed")) {
      // A failed run's writes may have been lost since (a target crash loses the last
      // asynchronous commits); only checkpoints re-read and made durable vouch for rows.
      sb.append(rowsCommitted == null
          ? String.format("  committed     unconfirmed: the state tables could not be re-read;"
              + " count none of this run's rows as written%n")
          : String.format("  committed     %,d of this run's rows, by the checkpoints re-read"
              + " at the end; the rest are unconfirmed and the next run copies them%n",
              rowsCommitted));
    }
    if (retries > 0) {
      sb.append(String.format("  retries       %d transient errors retried%n", retries));
    }
    if (succeeded || rowsCommitted != null) {
      sb.append(String.format("  whole job     %,d read, %,d written, %,d dead-lettered%n",
          jobRowsRead, jobRowsWritten, jobRowsDeadLettered));
    }
    if (jobRowsDeadLettered > 0 || deadLettersOpen + deadLettersAccepted > 0) {
      sb.append(String.format("  dead letters  %,d open, %,d accepted, in %s (limit %d open;"
          + " see ferry deadletters list)%n", deadLettersOpen, deadLettersAccepted,
          deadLetterTable, maxDeadLetters));
    }
    if (watermark != null) {
      // Only a successful run records its watermark; --since=last would not start from this one.
      sb.append(String.format("  watermark     %s (%s)%n", watermark, succeeded
          ? "next catch-up: --since=last" : "not recorded: the run did not finish; resume with"
          + " the same command"));
    }
    if (error != null) {
      sb.append(String.format("  error         %s%n", error));
    }
    if (exitCode == ExitCodes.AUTHENTICATION) {
      sb.append(String.format("  login refused a database refused the user or password: fix"
          + " them; retrying will not help%n"));
    }
    sb.append(String.format("  exit code     %d%n", exitCode));
    return sb.toString();
  }

  @Override
  public HtmlPage page() {
    return BackfillPage.of(this);
  }
}
