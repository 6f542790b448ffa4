package dev.ferry.schema;

import java.util.Objects;
import java.util.Optional;

/**
 * One difference between the source schema and the generated PostgreSQL schema.
 *
 * @param kind what kind of difference
 * @param table the source table
 * @param column the source column, absent for table-level warnings (indexes, foreign keys)
 * @param message what happened and, where there is one, what to do about it
 */
public record Warning(WarningKind kind, String table, Optional<String> column, String message) {
  public Warning {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    String where = "table '" + table + "'" + column.map(c -> ", column '" + c + "'").orElse("");
    return where + ": " + message + " [" + kind + "]";
  }
}
