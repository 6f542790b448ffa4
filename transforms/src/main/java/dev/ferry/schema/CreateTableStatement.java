package dev.ferry.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * CREATE TABLE for bulk loading: columns, defaults, NOT NULL, identity, label checks and the
 * primary key, which the idempotent upsert needs during the load; secondary indexes and foreign
 * keys come after the load.
 */
final class CreateTableStatement {
  private CreateTableStatement() {}

  static String of(MappedTable table, PostgresNames names, Report.Builder report) {
    List<String> lines = new ArrayList<>();
    for (MappedColumn column : table.columns()) {
      lines.add(column.declaration());
    }
    table.source().primaryKey().ifPresent(pk -> lines.add(primaryKey(table, pk, names, report)));
    return "CREATE TABLE " + table.name() + " (\n  " + String.join(",\n  ", lines) + "\n)";
  }

  private static String primaryKey(
      MappedTable table, IndexDef pk, PostgresNames names, Report.Builder report) {
    List<String> columns = new ArrayList<>();
    for (IndexPart part : pk.parts()) {
      columns.add(table.requireColumn(part.column()).name());
      if (part.isPrefix()) {
        report.table(
            WarningKind.PREFIX_INDEX,
            table.source().name(),
            "the primary key covers only the first "
                + part.prefixLength()
                + " characters of '"
                + part.column()
                + "'; in PostgreSQL it covers whole values");
      }
    }
    names.claim(
        "relations",
        names.primaryKeyName(table.source().name()),
        "the primary key of table '" + table.source().name() + "'");
    return "CONSTRAINT "
        + names.primaryKey(table.source().name())
        + " PRIMARY KEY ("
        + String.join(", ", columns)
        + ")";
  }
}
