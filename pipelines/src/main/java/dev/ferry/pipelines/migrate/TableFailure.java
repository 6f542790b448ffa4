package dev.ferry.pipelines.migrate;

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
}
