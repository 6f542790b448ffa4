package dev.ferry.schema;

import java.util.Objects;
import java.util.Optional;

/**
 * Moves an identity column's sequence past the loaded ids, after the load. The new start is the
 * larger of max(id) + 1 and the source's next AUTO_INCREMENT value, so that ids of rows deleted at
 * the end of the source table are not handed out again.
 */
public final class IdentityRestart {
  private final String table;
  private final String column;
  private final String quotedTable;
  private final String quotedColumn;
  private final Optional<Long> sourceNextValue;

  IdentityRestart(
      String table,
      String column,
      String quotedTable,
      String quotedColumn,
      Optional<Long> sourceNextValue) {
    this.table = Objects.requireNonNull(table, "table");
    this.column = Objects.requireNonNull(column, "column");
    this.quotedTable = quotedTable;
    this.quotedColumn = quotedColumn;
    this.sourceNextValue = Objects.requireNonNull(sourceNextValue, "sourceNextValue");
  }

  /** The source table name. */
  public String table() {
    return table;
  }

  /** The source column name. */
  public String column() {
    return column;
  }

  /** MySQL's next AUTO_INCREMENT value when the catalog was read. */
  public Optional<Long> sourceNextValue() {
    return sourceNextValue;
  }

  /** A query for the largest loaded id; NULL when the table is empty. */
  public String maxValueQuery() {
    return "SELECT max(" + quotedColumn + ") FROM " + quotedTable;
  }

  /** The value the sequence restarts with, given the largest loaded id (0 for an empty table). */
  public long restartValue(long loadedMax) {
    return Math.max(Math.addExact(loadedMax, 1), sourceNextValue.orElse(1L));
  }

  /** {@code ALTER TABLE t ALTER COLUMN c RESTART WITH n} for the largest loaded id. */
  public String restartStatement(long loadedMax) {
    return "ALTER TABLE "
        + quotedTable
        + " ALTER COLUMN "
        + quotedColumn
        + " RESTART WITH "
        + restartValue(loadedMax);
  }
}
