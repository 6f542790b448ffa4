package dev.ferry.schema;

import java.util.List;
import java.util.Objects;

/**
 * The column-by-column copy plan of one table, in column order.
 *
 * @param sourceTable the MySQL table name
 * @param targetTable the PostgreSQL table name, unquoted and unqualified
 * @param columns one entry per column
 */
public record TableConversion(
    String sourceTable, String targetTable, List<ColumnConversion> columns) {

  public TableConversion {
    Objects.requireNonNull(sourceTable, "sourceTable");
    Objects.requireNonNull(targetTable, "targetTable");
    columns = List.copyOf(columns);
  }

  /** The columns that need {@code need}, for example every zero-date-capable column. */
  public List<ColumnConversion> columnsNeeding(ConversionNeed need) {
    return columns.stream().filter(c -> c.needs(need)).toList();
  }
}
