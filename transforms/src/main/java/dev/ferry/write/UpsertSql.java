package dev.ferry.write;

import dev.ferry.jdbc.Dialect;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The idempotent upsert for a target table. PostgreSQL: {@code INSERT … ON CONFLICT (key) DO
 * UPDATE … WHERE the row differs}, so re-writing an identical row changes nothing (no new row
 * version, no trigger, no WAL for it). MySQL/MariaDB: {@code INSERT … ON DUPLICATE KEY UPDATE},
 * which leaves identical rows untouched by itself.
 */
public final class UpsertSql {
  // Types without an equality operator in PostgreSQL; compared as text instead.
  private static final Set<String> COMPARE_AS_TEXT = Set.of("json", "xml", "point", "polygon",
      "line", "lseg", "box", "path", "circle");

  private UpsertSql() {}

  public static String build(Dialect dialect, TargetTable table) {
    List<String> columns = table.columns().names();
    String insert = "INSERT INTO " + dialect.quoteQualified(table.name()) + " ("
        + dialect.columnList(columns) + ") VALUES ("
        + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
    List<String> updatable = new ArrayList<>();
    for (String c : columns) {
      if (!table.keyColumns().contains(c)) {
        updatable.add(c);
      }
    }
    if (dialect == Dialect.POSTGRESQL) {
      String conflict = " ON CONFLICT (" + dialect.columnList(table.keyColumns()) + ")";
      if (updatable.isEmpty()) {
        return insert + conflict + " DO NOTHING";
      }
      List<String> sets = new ArrayList<>();
      List<String> differs = new ArrayList<>();
      for (String c : updatable) {
        String q = dialect.quote(c);
        sets.add(q + " = EXCLUDED." + q);
        String type = table.columns().column(table.columns().indexOf(c)).typeName();
        String cast = COMPARE_AS_TEXT.contains(type) ? "::text" : "";
        differs.add("ferry_target." + q + cast + " IS DISTINCT FROM EXCLUDED." + q + cast);
      }
      return "INSERT INTO " + dialect.quoteQualified(table.name()) + " AS ferry_target"
          + insert.substring(insert.indexOf(" (")) + conflict + " DO UPDATE SET "
          + String.join(", ", sets) + " WHERE " + String.join(" OR ", differs);
    }
    List<String> sets = new ArrayList<>();
    for (String c : updatable.isEmpty() ? table.keyColumns().subList(0, 1) : updatable) {
      String q = dialect.quote(c);
      sets.add(q + " = VALUES(" + q + ")");
    }
    return insert + " ON DUPLICATE KEY UPDATE " + String.join(", ", sets);
  }
}
