package dev.ferry.pipelines.migrate;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.job.ExitCodes;

/** A table could not move on to its next phase; the migration stops there, naming it. */
final class TableFailure extends Exception {
  private static final long serialVersionUID = 1L;
  final String table;
  final int exitCode;

  TableFailure(String table, int exitCode, String message) {
    super(message);
    this.table = table;
    this.exitCode = exitCode;
  }

  /** The failure of a table's load, with what to do about it. */
  static TableFailure ofLoad(TableTask task, RunSummary run, long maxDeadLetters) {
    if (run.exitCode == ExitCodes.TOO_MANY_DEAD_LETTERS) {
      return new TableFailure(task.sourceTable(), ExitCodes.TOO_MANY_DEAD_LETTERS,
          String.format("%,d rows dead-lettered (see %s, job %s), more than --maxDeadLetters=%d;"
              + " fix them in the source and run again with --reload=%s, or allow them with"
              + " --maxDeadLetters", run.jobRowsDeadLettered, run.deadLetterTable, task.job(),
              maxDeadLetters, task.sourceTable()));
    }
    int exit = run.exitCode == ExitCodes.INVALID || run.exitCode == ExitCodes.AUTHENTICATION
        ? run.exitCode : ExitCodes.FAILED;
    return new TableFailure(task.sourceTable(), exit, "loading failed (job " + task.job()
        + "; run the same command again to resume): " + run.error);
  }
}
