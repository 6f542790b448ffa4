package dev.ferry.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * CREATE INDEX statements for a table's unique and secondary indexes, run after the load.
 *
 * <p>PostgreSQL has no prefix indexes. A prefix part becomes the expression {@code left(col, n)}
 * ({@code substring(col from 1 for n)} for bytea): a UNIQUE prefix index keeps exactly its MySQL
 * meaning, and index entries stay as small as in MySQL; queries must filter on the same expression
 * to use it, which the report says. FULLTEXT, SPATIAL and functional indexes are not created and
 * are reported.
 */
final class IndexStatements {
  private IndexStatements() {}

  static List<String> of(MappedTable table, PostgresNames names, Report.Builder report) {
    List<String> statements = new ArrayList<>();
    String tableName = table.source().name();
    for (IndexDef index : table.source().indexes()) {
      switch (index.kind()) {
        case FULLTEXT:
          skip(
              report,
              tableName,
              index,
              "PostgreSQL full-text search needs a GIN index on"
                  + " to_tsvector(...) of the columns "
                  + index.columnNames());
          break;
        case SPATIAL:
          skip(
              report,
              tableName,
              index,
              "geometry is stored as bytea, which has no spatial"
                  + " index; with PostGIS create a GiST index after converting the column");
          break;
        case FUNCTIONAL:
          skip(report, tableName, index, "its key expressions are MySQL syntax");
          break;
        default:
          statements.add(create(table, index, names, report));
      }
    }
    return statements;
  }

  private static String create(
      MappedTable table, IndexDef index, PostgresNames names, Report.Builder report) {
    List<String> parts = new ArrayList<>();
    for (IndexPart part : index.parts()) {
      MappedColumn column = table.requireColumn(part.column());
      String key = column.name();
      if (part.isPrefix()) {
        key = prefix(column, part.prefixLength());
        report.table(
            WarningKind.PREFIX_INDEX,
            table.source().name(),
            "index '"
                + index.name()
                + "' covers the first "
                + part.prefixLength()
                + " characters of '"
                + part.column()
                + "'; PostgreSQL indexes "
                + key
                + ", so queries must use that expression to benefit from it");
      }
      parts.add(part.descending() ? key + " DESC" : key);
    }
    String name = names.indexName(table.source().name(), index.name());
    String source = table.source().name() + "." + index.name();
    names.claim("relations", name, "index '" + source + "'");
    names.renamed("index", source, index.name(), name);
    return "CREATE "
        + (index.unique() ? "UNIQUE " : "")
        + "INDEX "
        + names.index(table.source().name(), index.name())
        + " ON "
        + table.name()
        + " ("
        + String.join(", ", parts)
        + ")";
  }

  private static String prefix(MappedColumn column, int length) {
    if (column.type().is("bytea")) {
      return "(substring(" + column.name() + " from 1 for " + length + "))";
    }
    if (column.type().isTextual()) {
      return "(left(" + column.name() + ", " + length + "))";
    }
    return column.name();
  }

  private static void skip(Report.Builder report, String table, IndexDef index, String why) {
    report.table(
        WarningKind.INDEX_SKIPPED,
        table,
        index.kind() + " index '" + index.name() + "' not created: " + why);
  }
}
