package dev.ferry.pipelines.migrate;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.reconcile.ReconcileOptions;
import dev.ferry.pipelines.reconcile.ReconcilePipeline;
import dev.ferry.pipelines.reconcile.ReconcileReport;
import dev.ferry.pipelines.spec.Secrets;

/**
 * Verifies a loaded table with the reconcile job: every row of the source, mapped as the load
 * mapped it, compared value by value with the target. Unlike a row count it sees changed values.
 *
 * <p>It takes reconcile's fast path: both databases checksum the table in key buckets (in SQL
 * where both engines compute the same canonical text), and only the rows of buckets whose
 * checksums differ are read and compared; each differing key is still named with its columns.
 * A copy that arrived exactly is thus verified without reading its rows into ferry. CHAR(n)
 * padding does not count (reconcile's default): PostgreSQL pads char(n), MySQL strips it.
 */
final class ReconcileCheck implements TableCheck {
  private final MigrateOptions options;
  private final MigrateSettings settings;
  private final String targetUrl;
  private final Secrets secrets;

  ReconcileCheck(MigrateOptions options, MigrateSettings settings, String targetUrl,
      Secrets secrets) {
    this.options = options;
    this.settings = settings;
    this.targetUrl = targetUrl;
    this.secrets = secrets;
  }

  @Override
  public String name() {
    return "reconcile (bucket checksums, rows compared where they differ)";
  }

  @Override
  public Outcome check(TableTask table) {
    ReconcileOptions reconcile = OptionsCopy.of(options).as(ReconcileOptions.class);
    table.configure(reconcile, settings, targetUrl, false);
    if (options.getSourceZone() != null) {
      reconcile.setSourceZone(options.getSourceZone());
    }
    reconcile.setFastPath(true);
    reconcile.setCompareCharPadding(false);
    ReconcileReport report = ReconcilePipeline.run(reconcile, secrets);
    String how = method(report);
    if (report.exitCode == ExitCodes.OK) {
      return new Outcome(true, "reconciled " + how + ": " + report.counts);
    }
    if (report.exitCode == ExitCodes.DIFFERENCES) {
      return new Outcome(false, report.differences + " differing keys (" + how + "): "
          + report.counts);
    }
    throw new IllegalStateException("reconcile of " + table.sourceTable() + " failed: "
        + report.error);
  }

  /** How the table was compared, for the table's detail in the summary. */
  private static String method(ReconcileReport report) {
    ReconcileReport.FastPath fast = report.fastPath;
    if (fast == null) {
      return "row by row";
    }
    if (fast.bucketsCompared == null) {
      return "row by row, checksums in the pipeline (" + fast.reason + ")";
    }
    return String.format("by checksums in SQL, %,d of %,d buckets differ", fast.bucketsDiffering,
        fast.bucketsCompared);
  }
}
