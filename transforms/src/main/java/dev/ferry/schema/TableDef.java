package dev.ferry.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One source table with everything the PostgreSQL DDL needs.
 *
 * @param name the table name, exactly as the source spells it
 * @param charset the table's default character set, for example {@code latin1}
 * @param collation the table's default collation
 * @param nextAutoIncrement the next AUTO_INCREMENT value MySQL would hand out; it can be above the
 *     largest id when the newest rows were deleted
 * @param columns the columns in declaration order
 * @param primaryKey the primary key, if any
 * @param indexes unique and secondary indexes, without the primary key
 * @param foreignKeys the foreign keys this table holds
 * @param checks the CHECK constraints (MariaDB's json_valid checks of JSON columns excluded)
 */
public record TableDef(
    String name,
    Optional<String> charset,
    Optional<String> collation,
    Optional<Long> nextAutoIncrement,
    List<ColumnDef> columns,
    Optional<IndexDef> primaryKey,
    List<IndexDef> indexes,
    List<ForeignKeyDef> foreignKeys,
    List<CheckDef> checks) {

  public TableDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(charset, "charset");
    Objects.requireNonNull(collation, "collation");
    Objects.requireNonNull(nextAutoIncrement, "nextAutoIncrement");
    columns = List.copyOf(columns);
    Objects.requireNonNull(primaryKey, "primaryKey");
    indexes = List.copyOf(indexes);
    foreignKeys = List.copyOf(foreignKeys);
    checks = List.copyOf(checks);
  }

  public Optional<ColumnDef> column(String columnName) {
    return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
  }
}
