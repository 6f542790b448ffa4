package dev.ferry.pipelines.migrate;

import dev.ferry.pipelines.job.ExitCodes;

/**
 * The last step of a table's migration: proves the loaded target table holds what the source
 * holds. A table whose check is clean reaches {@link MigrationState.Phase#VERIFIED}; one that is
 * not stays constrained and is checked again on the next run, and the migration exits with {@link
 * MigrationSummary#ExitCodes.DIFFERENCES}.
 *
 * <p>An implementation gets the table as the backfill copied it ({@link TableTask#configure} sets
 * the same flags a reconcile job takes, since reconcile reads the backfill's spec).
 */
public interface TableCheck {
  /** What the check compares, for the summary, e.g. {@code row count}. */
  String name();

  /** Compares one table; throws only when it cannot compare (a connection failed). */
  Outcome check(TableTask table) throws Exception;

  /**
   * The result of one table's check.
   *
   * @param clean whether the target holds exactly what the check expects
   * @param detail what was compared and, when not clean, how the sides differ
   */
  record Outcome(boolean clean, String detail) {}
}
