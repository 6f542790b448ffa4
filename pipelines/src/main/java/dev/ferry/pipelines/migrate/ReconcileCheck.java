package dev.ferry.pipelines.migrate;

import dev.ferry.pipelines.reconcile.ReconcileOptions;
import dev.ferry.pipelines.reconcile.ReconcilePipeline;
import dev.ferry.pipelines.reconcile.ReconcileReport;
import dev.ferry.pipelines.spec.Secrets;

/**
 * Verifies a loaded table with the reconcile job: every row of the source, mapped as the load
 * mapped it, compared value by value with the target. Unlike a row count it sees changed values.
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
    return "reconcile";
  }

  @Override
  public Outcome check(TableTask table) {
    ReconcileOptions reconcile = MigrationRun.copyOf(options).as(ReconcileOptions.class);
    table.configure(reconcile, settings, targetUrl, false);
    if (options.getSourceZone() != null) {
      reconcile.setSourceZone(options.getSourceZone());
    }
    ReconcileReport report = ReconcilePipeline.run(reconcile, secrets);
    if (report.exitCode == ReconcileReport.EXIT_OK) {
      return new Outcome(true, "reconciled row by row: " + report.counts);
    }
    if (report.exitCode == ReconcileReport.EXIT_DIFFERENCES) {
      return new Outcome(false, report.differences + " differing keys: " + report.counts);
    }
    throw new IllegalStateException("reconcile of " + table.sourceTable() + " failed: "
        + report.error);
  }
}
