package dev.ferry.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY statements, run after the load and after the
 * unique indexes they rely on.
 *
 * <p>A foreign key is left out, and reported, when PostgreSQL would refuse it: when it references a
 * table outside the migrated schema, or columns without a primary key or unique index (InnoDB
 * accepts any indexed columns, PostgreSQL wants a unique key).
 */
final class ForeignKeyStatements {
  private ForeignKeyStatements() {}

  static List<String> of(
      String schemaName,
      MappedTable child,
      Map<String, MappedTable> tables,
      PostgresNames names,
      Report.Builder report) {
    List<String> statements = new ArrayList<>();
    for (ForeignKeyDef fk : child.source().foreignKeys()) {
      Optional<MappedTable> parent = Optional.ofNullable(tables.get(fk.referencedTable()));
      if (!fk.referencedSchema().equals(schemaName) || parent.isEmpty()) {
        skip(
            report,
            fk,
            "it references table '"
                + fk.referencedSchema()
                + "."
                + fk.referencedTable()
                + "', which is not part of this migration");
      } else if (!hasUniqueKey(parent.get().source(), fk.referencedColumns())) {
        skip(
            report,
            fk,
            "the referenced columns "
                + fk.referencedColumns()
                + " of '"
                + fk.referencedTable()
                + "' have no primary key or unique index; PostgreSQL needs one");
      } else {
        statements.add(addConstraint(child, parent.get(), fk, names));
      }
    }
    return statements;
  }

  private static String addConstraint(
      MappedTable child, MappedTable parent, ForeignKeyDef fk, PostgresNames names) {
    String name = names.constraintName(fk.name());
    String source = child.source().name() + "." + fk.name();
    names.claim(
        "constraints of " + child.source().name(), name, "foreign key '" + source + "'");
    names.renamed("constraint", source, fk.name(), name);
    return "ALTER TABLE "
        + child.name()
        + " ADD CONSTRAINT "
        + names.constraint(fk.name())
        + " FOREIGN KEY ("
        + columns(child, fk.columns())
        + ") REFERENCES "
        + parent.name()
        + " ("
        + columns(parent, fk.referencedColumns())
        + ") ON DELETE "
        + fk.onDelete().sql()
        + " ON UPDATE "
        + fk.onUpdate().sql();
  }

  private static String columns(MappedTable table, List<String> sourceColumns) {
    return String.join(
        ", ", sourceColumns.stream().map(c -> table.requireColumn(c).name()).toList());
  }

  /** Whether a whole-column primary key or unique index covers exactly these columns. */
  private static boolean hasUniqueKey(TableDef parent, List<String> columns) {
    Set<String> wanted = lowerCase(columns);
    return Stream.concat(parent.primaryKey().stream(), parent.indexes().stream())
        .filter(i -> i.unique() && !i.hasPrefix() && i.kind() != IndexKind.FUNCTIONAL)
        .anyMatch(i -> lowerCase(i.columnNames()).equals(wanted));
  }

  private static Set<String> lowerCase(List<String> names) {
    Set<String> set = new HashSet<>();
    names.forEach(n -> set.add(n.toLowerCase(Locale.ROOT)));
    return set;
  }

  private static void skip(Report.Builder report, ForeignKeyDef fk, String why) {
    report.table(
        WarningKind.FOREIGN_KEY_SKIPPED,
        fk.table(),
        "foreign key '" + fk.name() + "' not created: " + why);
  }
}
