package dev.ferry.jdbc;

import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads the column layout of a table or query from the database's own metadata. */
public final class Describe {
  private Describe() {}

  /** The columns of whatever {@code fromClause} names (a quoted table or a derived table). */
  public static Layout relation(Connection connection, String fromClause) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + fromClause + " WHERE 1 = 0")) {
      return layout(rs.getMetaData());
    }
  }

  public static Layout layout(ResultSetMetaData md) throws SQLException {
    List<Column> columns = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      String typeName = md.getColumnTypeName(i);
      int size = md.getPrecision(i);
      // MySQL reports tinyint(1) as BIT and DATETIME precision in characters; keep type names.
      columns.add(
          new Column(
              md.getColumnLabel(i),
              md.getColumnType(i),
              typeName,
              size,
              md.getScale(i),
              md.isNullable(i) != ResultSetMetaData.columnNoNulls));
    }
    return new Layout(columns);
  }
}
