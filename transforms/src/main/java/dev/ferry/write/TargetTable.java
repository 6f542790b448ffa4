package dev.ferry.write;

import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The table rows are upserted into: its name, the columns ferry writes (in the order of the
 * mapped rows, each with the target's own type) and the key the upsert conflicts on.
 */
public final class TargetTable implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> name;
  private final Layout columns;
  private final List<String> keyColumns;

  public TargetTable(List<String> name, Layout columns, List<String> keyColumns) {
    this.name = List.copyOf(name);
    this.columns = Objects.requireNonNull(columns, "columns");
    this.keyColumns = List.copyOf(keyColumns);
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException("target " + displayName() + " needs key columns");
    }
    for (String k : keyColumns) {
      if (!columns.has(k)) {
        throw new IllegalArgumentException("target " + displayName() + ": key column '" + k
            + "' is not among the mapped columns " + columns.names());
      }
    }
  }

  /**
   * Looks the table up and lines its columns up with the mapping's output, failing with the
   * missing names when the mapping produces a column the table does not have.
   */
  public static TargetTable describe(JdbcEndpoint endpoint, List<String> name,
      List<String> mappedColumns, List<String> keyColumns) throws SQLException {
    Dialect dialect = endpoint.dialect();
    Layout actual;
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET)) {
      actual = Describe.relation(c, dialect.quoteQualified(name));
    } catch (SQLException e) {
      throw new SQLException("target table " + String.join(".", name) + " cannot be read at "
          + endpoint + ": " + endpoint.redact(e.getMessage()), e.getSQLState(), e.getErrorCode());
    }
    List<Column> ordered = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String column : mappedColumns) {
      if (actual.has(column)) {
        ordered.add(actual.column(actual.indexOf(column)));
      } else {
        missing.add(column);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("target table " + String.join(".", name)
          + " has no column(s) " + missing + " that the mapping produces; its columns are "
          + actual.names());
    }
    return new TargetTable(name, new Layout(ordered), keyColumns);
  }

  /**
   * Fails unless the table has a primary key or unique constraint on exactly the key columns.
   * Writers need one: without it an upsert cannot find the existing row, every re-run would add
   * duplicates, and the COPY fast path could not detect rows that are already there.
   */
  public void requireUniqueKey(JdbcEndpoint endpoint) throws SQLException {
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET)) {
      if (!hasUniqueIndexOn(c, name, keyColumns)) {
        throw new IllegalArgumentException("target table " + displayName() + " has no primary"
            + " key or unique constraint on exactly " + keyColumns + "; ferry needs one for"
            + " idempotent upserts");
      }
    }
  }

  private static boolean hasUniqueIndexOn(Connection c, List<String> name, List<String> key)
      throws SQLException {
    String table = name.get(name.size() - 1);
    String schema = name.size() > 1 ? name.get(name.size() - 2) : null;
    boolean mysql = Dialect.fromUrl(c.getMetaData().getURL()) == Dialect.MYSQL;
    String catalog = mysql ? (schema != null ? schema : c.getCatalog()) : null;
    String schemaPattern = mysql ? null : (schema != null ? schema : c.getSchema());
    java.util.Map<String, java.util.Set<String>> indexes = new java.util.HashMap<>();
    try (java.sql.ResultSet rs = c.getMetaData().getIndexInfo(catalog, schemaPattern, table, true,
        false)) {
      while (rs.next()) {
        String index = rs.getString("INDEX_NAME");
        String column = rs.getString("COLUMN_NAME");
        if (index != null && column != null && !rs.getBoolean("NON_UNIQUE")) {
          indexes.computeIfAbsent(index, k -> new java.util.HashSet<>()).add(column);
        }
      }
    }
    return indexes.containsValue(new java.util.HashSet<>(key));
  }

  public List<String> name() {
    return name;
  }

  public String displayName() {
    return String.join(".", name);
  }

  public Layout columns() {
    return columns;
  }

  public List<String> keyColumns() {
    return keyColumns;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TargetTable)) {
      return false;
    }
    TargetTable t = (TargetTable) o;
    return name.equals(t.name) && columns.equals(t.columns) && keyColumns.equals(t.keyColumns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, columns, keyColumns);
  }
}
