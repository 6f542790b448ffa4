package dev.ferry.schema;

import java.util.List;

/**
 * A BEFORE UPDATE trigger emulating MySQL's {@code ON UPDATE CURRENT_TIMESTAMP}: when a row changes
 * and the statement left the column as it was, the column gets the current time. (MySQL also keeps
 * an explicit assignment of the unchanged value; a trigger cannot tell the two apart.)
 */
final class OnUpdateTriggers {
  private OnUpdateTriggers() {}

  /** CREATE FUNCTION and CREATE TRIGGER, or nothing when no column updates itself. */
  static List<String> of(MappedTable table, PostgresNames names) {
    List<MappedColumn> columns =
        table.columns().stream().filter(c -> c.source().onUpdateCurrentTimestamp()).toList();
    if (columns.isEmpty()) {
      return List.of();
    }
    StringBuilder body = new StringBuilder();
    for (MappedColumn column : columns) {
      body.append("  IF NEW IS DISTINCT FROM OLD AND NEW.")
          .append(column.name())
          .append(" IS NOT DISTINCT FROM OLD.")
          .append(column.name())
          .append(" THEN\n")
          .append("    NEW.")
          .append(column.name())
          .append(" := CURRENT_TIMESTAMP;\n")
          .append("  END IF;\n");
    }
    String function = names.onUpdateFunction(table.source().name());
    names.claim("functions", function, "the ON UPDATE function of table '"
        + table.source().name() + "'");
    return List.of(
        "CREATE OR REPLACE FUNCTION "
            + function
            + "() RETURNS trigger LANGUAGE plpgsql AS"
            + " $ferry$\nBEGIN\n"
            + body
            + "  RETURN NEW;\nEND\n$ferry$",
        "CREATE TRIGGER "
            + names.onUpdateTrigger(table.source().name())
            + " BEFORE UPDATE ON "
            + table.name()
            + " FOR EACH ROW EXECUTE FUNCTION "
            + function
            + "()");
  }
}
