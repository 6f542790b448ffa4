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
