package dev.ferry.pipelines.profile;

import dev.ferry.jdbc.JdbcEndpoint;
import java.sql.SQLException;

/** Turns an exception into the one-line error a report shows, with secrets removed. */
public final class Failures {
  private Failures() {}

  /** The messages of the exception and its causes, outermost first, redacted for each endpoint. */
  public static String describe(Throwable e, JdbcEndpoint... endpoints) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && sb.indexOf(t.getMessage()) < 0) {
        sb.append(sb.length() == 0 ? "" : " <- ").append(t.getMessage());
      }
    }
    String text = sb.length() == 0 ? e.getClass().getName() : sb.toString();
    for (JdbcEndpoint endpoint : endpoints) {
      if (endpoint != null) {
        text = endpoint.redact(text);
      }
    }
    return text;
  }

  /** True for "the table does not exist" on PostgreSQL (42P01) and MySQL/MariaDB (42S02). */
  public static boolean isMissingTable(SQLException e) {
    return "42P01".equals(e.getSQLState()) || "42S02".equals(e.getSQLState())
        || e.getErrorCode() == 1146;
  }
}
