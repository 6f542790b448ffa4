package dev.ferry.schema;

import java.util.List;
import java.util.Objects;

/**
 * A foreign key of a source table.
 *
 * @param name the constraint name
 * @param table the table holding the foreign key (the child)
 * @param columns the child columns, in key order
 * @param referencedSchema the schema of the referenced table
 * @param referencedTable the referenced table (the parent)
 * @param referencedColumns the parent columns, matching {@code columns} one to one
 * @param onDelete the action when the parent row is deleted
 * @param onUpdate the action when the parent key changes
 */
public record ForeignKeyDef(
    String name,
    String table,
    List<String> columns,
    String referencedSchema,
    String referencedTable,
    List<String> referencedColumns,
    ReferentialAction onDelete,
    ReferentialAction onUpdate) {

  public ForeignKeyDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(table, "table");
    columns = List.copyOf(columns);
    Objects.requireNonNull(referencedSchema, "referencedSchema");
    Objects.requireNonNull(referencedTable, "referencedTable");
    referencedColumns = List.copyOf(referencedColumns);
    Objects.requireNonNull(onDelete, "onDelete");
    Objects.requireNonNull(onUpdate, "onUpdate");
    if (columns.isEmpty() || columns.size() != referencedColumns.size()) {
      throw new IllegalArgumentException(
          "foreign key " + name + " on table " + table + " has mismatched column lists");
    }
  }

  public boolean isSelfReference() {
    return table.equals(referencedTable);
  }
}
