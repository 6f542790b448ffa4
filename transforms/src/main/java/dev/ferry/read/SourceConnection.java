package dev.ferry.read;

import dev.ferry.jdbc.JdbcEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A reader's connection to the source: read-only, in one transaction per read, opened when
 * first needed and again after an error. It picks the selects that suit the server's version,
 * and holds the statement that looks rows up again for their large values.
 */
final class SourceConnection {
  private final ReadSettings s;
  private Connection connection;
  private PreparedStatement lookup;
  /** The bounded and flagged selects for the connected server's version. */
  private String boundedSelect;
  private String copyFlaggedSelect;

  SourceConnection(ReadSettings settings) {
    this.s = settings;
  }

  String boundedSelect() {
    return boundedSelect;
  }

  String copyFlaggedSelect() {
    return copyFlaggedSelect;
  }

  /** Looks a row's large-capable columns up by key, in the read's transaction. */
  PreparedStatement lookup() throws SQLException {
    if (lookup == null) {
      lookup = get().prepareStatement(s.lookup);
      // -1: binary transfer from the first execution; 0: never (text, as the cursor reads).
      lookup.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(
          s.binaryLookup ? -1 : 0);
    }
    return lookup;
  }

  /**
   * Stops reading before the end of the result (a yield, a checkpoint taken by the runner, or an
   * error). PostgreSQL: rolling back closes the cursor and the connection is kept. MySQL: closing
   * a streaming result set reads it to its end, so the connection is aborted instead (its socket
   * closed) and a new one is opened next time.
   */
  void abandon(boolean mysql, ResultSet rs, PreparedStatement ps) {
    if (mysql || connection == null) {
      close(true);
      return;
    }
    try {
      if (rs != null) {
        rs.close();
      }
      if (ps != null) {
        ps.close();
      }
      connection.rollback();
    } catch (SQLException e) {
      close(false);
    }
  }

  Connection get() throws SQLException {
    if (connection == null) {
      Connection c = s.endpoint.connect(JdbcEndpoint.Role.SOURCE);
      try {
        c.setReadOnly(true);
        if (s.copyText) {
          // COPY prints values in the session's styles: pin the ones that vary by server
          // configuration to forms every PostgreSQL parses back to the same value. Set outside
          // any transaction, so that no rollback undoes them.
          try (java.sql.Statement st = c.createStatement()) {
            st.execute("SET DateStyle = ISO; SET IntervalStyle = postgres;"
                + " SET bytea_output = hex; SET extra_float_digits = 3");
          }
        }
        c.setAutoCommit(false);
        if (s.boundedSelect != null) {
          // Large values are read again by key: the same snapshot must answer both queries.
          c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
          boolean legacy = s.legacyBoundedSelect != null
              && c.getMetaData().getDatabaseMajorVersion() < 14;
          boundedSelect = legacy ? s.legacyBoundedSelect : s.boundedSelect;
          copyFlaggedSelect = legacy ? s.legacyCopyFlaggedSelect : s.copyFlaggedSelect;
        }
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  void close() {
    close(false);
  }

  void close(boolean abort) {
    lookup = null;
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        if (abort) {
          c.abort(Runnable::run);
        } else {
          c.close();
        }
      } catch (SQLException | RuntimeException ignored) {
        // broken already; a new one is opened when needed
      }
    }
  }
}
