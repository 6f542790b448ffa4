package dev.ferry.pipelines.migrate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.report.html.ReportPages;
import dev.ferry.pipelines.spec.ReportFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a plan or migration run did, for the console and (as JSON) for schedulers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class MigrationSummary {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationSummary.class);

  /** Process exit codes; the first four mean what they mean for the backfill. */

  @JsonProperty public String command;
  @JsonProperty public String migration;
  @JsonProperty public String status;
  @JsonProperty public int exitCode;
  @JsonProperty public String error;
  /** The table the run stopped at, when it failed on one. */
  @JsonProperty public String failedTable;
  @JsonProperty public String source;
  @JsonProperty public String target;
  @JsonProperty public int warnings;
  /** The schema translation's warnings one by one; kinds ending in _SKIPPED: skipped objects. */
  @JsonProperty public List<WarningDetail> warningDetails = new ArrayList<>();
  @JsonProperty public List<String> problems = new ArrayList<>();
  /** Identifiers spelled differently in PostgreSQL: {@code column T.UnitPrice -> unit_price}. */
  @JsonProperty public List<String> renames = new ArrayList<>();
  @JsonProperty public int afterLoadStatements;
  @JsonProperty public int identityRestarts;
  @JsonProperty public String check;
  @JsonProperty public List<TableResult> tables = new ArrayList<>();
  /** ON UPDATE CURRENT_TIMESTAMP triggers in the target (0 with --onUpdateTriggers=false). */
  @JsonProperty public int onUpdateTriggers;
  /** Every view, trigger and routine of the source, and what became of it. */
  @JsonProperty public List<ObjectResult> objects = new ArrayList<>();
  /** How many of {@link #objects} were not migrated (each also counts in {@link #warnings}). */
  @JsonProperty public int notMigrated;
  /** The file with the source of every object not migrated, for the user to port. */
  @JsonProperty public String notMigratedFile;
  @JsonProperty public double seconds;
  /** Wall seconds of each phase (plan, create, load, constrain, check), in order. */
  @JsonProperty public Map<String, Double> phaseSeconds = new LinkedHashMap<>();

  /** One warning of the schema translation. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class WarningDetail {
    @JsonProperty public String kind;
    @JsonProperty public String table;
    @JsonProperty public String column;
    @JsonProperty public String message;
  }

  /** A view, trigger or routine: {@code planned}, {@code created} or {@code not migrated}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class ObjectResult {
    @JsonProperty public String kind;
    @JsonProperty public String name;
    /** The table a trigger fires on. */
    @JsonProperty public String table;
    @JsonProperty public String status;
    @JsonProperty public String reason;

    @Override
    public String toString() {
      return kind + " '" + name + "'" + (table == null ? "" : " on table '" + table + "'") + ": "
          + status + (reason == null ? "" : " (" + reason + ")");
    }
  }

  /** One table's state at the end of the run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class TableResult {
    @JsonProperty public String table;
    @JsonProperty public String targetTable;
    @JsonProperty public String phase;
    @JsonProperty public String job;
    /** Rows in the source when planned ("~" marks the server's estimate). */
    @JsonProperty public String sourceRows;
    @JsonProperty public Long rowsLoaded;
    /** Whether this run copied the table (false: loaded by an earlier run, or not reached). */
    @JsonProperty public boolean loadedThisRun;
    @JsonProperty public Double loadSeconds;
    @JsonProperty public String detail;
  }

  /**
   * Stops the clock, prints the summary (to the console when successful, as an error otherwise)
   * and writes it as JSON when asked to.
   */
  /** The summary of a {@code command} whose flags Beam refused: nothing ran. */
  static MigrationSummary invalidFlags(String command, String message) {
    MigrationSummary summary = new MigrationSummary();
    summary.command = command;
    summary.status = "invalid";
    summary.exitCode = ExitCodes.INVALID;
    summary.error = "flags: " + message;
    return summary.finish(System.nanoTime(), Optional.empty());
  }

  MigrationSummary finish(long startNanos, Optional<String> reportFile) {
    seconds = (System.nanoTime() - startNanos) / 1e9;
    if (exitCode == ExitCodes.OK) {
      System.out.println(toConsole());
    } else {
      LOG.error(toConsole());
    }
    if (reportFile.isPresent()) {
      try {
        writeTo(Path.of(reportFile.get()));
      } catch (IOException e) {
        LOG.error("cannot write report file {}: {}", reportFile.get(), e.getMessage());
      }
    }
    return this;
  }

  /** Writes the JSON report to {@code file} and the HTML page beside it. */
  public void writeTo(Path file) throws IOException {
    ReportFiles.writeJson(file, this);
    ReportPages.writeBeside(file.toString(), MigrationPage.of(this));
  }

  /** The human summary printed at the end of a run. */
  public String toConsole() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%n== ferry %s%s: %s ==%n", command,
        migration == null ? "" : " " + migration, status.toUpperCase(Locale.ROOT)));
    if (source != null) {
      sb.append(String.format("  source       %s%n", source));
    }
    if (target != null) {
      sb.append(String.format("  target       %s%n", target));
    }
    if (!tables.isEmpty()) {
      int width = Math.max(5, tables.stream().mapToInt(t -> t.table.length()).max().orElse(5));
      sb.append(String.format("  %-" + width + "s  %-11s  %12s  %12s  %s%n", "table", "phase",
          "source rows", "loaded", "detail"));
      for (TableResult t : tables) {
        String loaded = t.rowsLoaded == null ? "-" : String.format("%,d", t.rowsLoaded);
        if (t.loadedThisRun && t.loadSeconds != null) {
          loaded += String.format(" (%.1fs)", t.loadSeconds);
        }
        sb.append(String.format("  %-" + width + "s  %-11s  %12s  %12s  %s%n", t.table,
            t.phase.toLowerCase(Locale.ROOT), t.sourceRows, loaded,
            t.detail == null ? "" : t.detail));
      }
    }
    if (afterLoadStatements > 0 || identityRestarts > 0) {
      sb.append(String.format("  after load   %d index/constraint statements, %d identity"
          + " restarts%n", afterLoadStatements, identityRestarts));
    }
    if (check != null) {
      sb.append(String.format("  check        %s%n", check));
    }
    if (onUpdateTriggers > 0) {
      sb.append(String.format("  triggers     %d ON UPDATE CURRENT_TIMESTAMP triggers%n",
          onUpdateTriggers));
    }
    objects.forEach(o -> sb.append(String.format("  object       %s%n", o)));
    if (notMigratedFile != null) {
      sb.append(String.format("  not migrated %d; their source is in %s%n", notMigrated,
          notMigratedFile));
    }
    sb.append(String.format("  warnings     %d (ferry plan lists them)%n", warnings));
    problems.forEach(p -> sb.append(String.format("  problem      %s%n", p)));
    if (error != null) {
      sb.append(String.format("  error        %s%n", error));
    }
    sb.append(String.format("  time         %.1f s", seconds));
    if (!phaseSeconds.isEmpty()) {
      StringJoiner phases = new StringJoiner(", ", " (", ")");
      phaseSeconds.forEach((phase, s) -> phases.add(String.format("%s %.1f s", phase, s)));
      sb.append(phases);
    }
    sb.append(String.format("%n  exit code    %d%n", exitCode));
    return sb.toString();
  }
}
