package dev.ferry.schema;

import java.util.List;
import java.util.Optional;

/**
 * A source table with its PostgreSQL columns worked out.
 *
 * @param source the MySQL table
 * @param name the quoted, possibly schema-qualified PostgreSQL table name
 * @param targetName the PostgreSQL table name, unquoted and unqualified
 * @param columns the mapped columns in source order
 */
record MappedTable(TableDef source, String name, String targetName, List<MappedColumn> columns) {
  MappedTable {
    columns = List.copyOf(columns);
  }

  /** The mapped column of a source column name; MySQL column names ignore case. */
  Optional<MappedColumn> column(String sourceName) {
    return columns.stream().filter(c -> c.source().name().equalsIgnoreCase(sourceName)).findFirst();
  }

  MappedColumn requireColumn(String sourceName) {
    return column(sourceName)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "table '" + source.name() + "' has no column '" + sourceName + "'"));
  }

  TableConversion conversion() {
    return new TableConversion(
        source.name(),
        targetName,
        columns.stream().map(MappedColumn::conversion).toList());
  }
}
