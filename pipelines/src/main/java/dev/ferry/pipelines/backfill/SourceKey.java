package dev.ferry.pipelines.backfill;

import dev.ferry.jdbc.Dialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The primary key of a source table, as its catalog declares it. */
final class SourceKey {
  private SourceKey() {}

  /** The primary key's columns in key order; empty when the table has none. */
  static List<String> primaryKey(Dialect dialect, Connection c, List<String> table)
      throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    String name = table.get(table.size() - 1);
    String schema = table.size() > 1 ? table.get(table.size() - 2) : null;
    boolean mysql = dialect == Dialect.MYSQL;
    List<String> columns = new ArrayList<>();
    List<Short> positions = new ArrayList<>();
    try (ResultSet rs = md.getPrimaryKeys(mysql ? (schema != null ? schema : c.getCatalog())
        : null, mysql ? null : (schema != null ? schema : c.getSchema()), name)) {
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME"));
        positions.add(rs.getShort("KEY_SEQ"));
      }
    }
    String[] ordered = new String[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      ordered[positions.get(i) - 1] = columns.get(i);
    }
    return List.of(ordered);
  }
}
