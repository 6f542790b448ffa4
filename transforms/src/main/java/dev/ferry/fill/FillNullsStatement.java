package dev.ferry.fill;

import dev.ferry.jdbc.Dialect;
import dev.ferry.write.RowStatement;
import dev.ferry.write.TargetTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-place fill's statement: {@code UPDATE t SET c = COALESCE(c, ?) … WHERE key = ? AND (c
 * IS NULL OR …)}, for a table whose columns are its key and the columns to fill. A cell that
 * holds a value is never changed, and a row whose cells were all filled meanwhile (by the
 * application, or by an earlier run) is not touched at all. The update goes by the key, so each
 * statement locks one row, for the length of one chunk's transaction.
 */
public enum FillNullsStatement implements RowStatement {
  INSTANCE;

  @Override
  public String sql(Dialect dialect, TargetTable table) {
    List<String> sets = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    for (String c : fillColumns(table)) {
      String q = dialect.quote(c);
      sets.add(q + " = COALESCE(" + q + ", ?)");
      empty.add(q + " IS NULL");
    }
    List<String> where = new ArrayList<>();
    for (String k : table.keyColumns()) {
      where.add(dialect.quote(k) + " = ?");
    }
    return "UPDATE " + dialect.quoteQualified(table.name()) + " SET " + String.join(", ", sets)
        + " WHERE " + String.join(" AND ", where) + " AND (" + String.join(" OR ", empty) + ")";
  }

  @Override
  public int[] parameters(TargetTable table) {
    List<String> fill = fillColumns(table);
    List<String> names = table.columns().names();
    int[] positions = new int[names.size()];
    for (int i = 0; i < positions.length; i++) {
      int key = table.keyColumns().indexOf(names.get(i));
      positions[i] = key >= 0 ? fill.size() + key + 1 : fill.indexOf(names.get(i)) + 1;
    }
    return positions;
  }

  @Override
  public boolean insertsRows() {
    return false;
  }

  private static List<String> fillColumns(TargetTable table) {
    List<String> fill = new ArrayList<>();
    for (String c : table.columns().names()) {
      if (!table.keyColumns().contains(c)) {
        fill.add(c);
      }
    }
    if (fill.isEmpty()) {
      throw new IllegalArgumentException("table " + table.displayName()
          + ": no column to fill besides the key");
    }
    return fill;
  }
}
