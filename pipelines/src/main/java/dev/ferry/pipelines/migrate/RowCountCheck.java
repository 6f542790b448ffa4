package dev.ferry.pipelines.migrate;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Compares the number of rows on both sides: cheap, and enough to catch a table that was not
 * copied completely or rows that were dead-lettered. It cannot see a row whose values differ;
 * the reconcile job (per-row digests) does, and slots in as another {@link TableCheck}.
 */
final class RowCountCheck implements TableCheck {
  private final JdbcEndpoint source;
  private final JdbcEndpoint target;

  RowCountCheck(JdbcEndpoint source, JdbcEndpoint target) {
    this.source = source;
    this.target = target;
  }

  @Override
  public String name() {
    return "row count";
  }

  @Override
  public Outcome check(TableTask table) throws SQLException {
    long sourceRows = count(source, Dialect.MYSQL.quote(table.sourceTable()));
    long targetRows = count(target, table.quotedTarget());
    String detail = String.format("%,d source rows, %,d target rows", sourceRows, targetRows);
    return new Outcome(sourceRows == targetRows, detail);
  }

  private static long count(JdbcEndpoint endpoint, String table) throws SQLException {
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.SOURCE);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
