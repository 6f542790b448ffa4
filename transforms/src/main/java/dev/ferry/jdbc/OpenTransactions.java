package dev.ferry.jdbc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The server's clock and the start of the oldest transaction other sessions have open on it, for
 * a catch-up watermark: a transaction open while the watermark is taken may commit rows later
 * whose change time is earlier than the watermark, so the watermark must not be later than that
 * transaction's start.
 *
 * <p>Seeing other sessions' transactions needs a privilege: on PostgreSQL membership in {@code
 * pg_read_all_stats} (or superuser; without it only the user's own sessions show in {@code
 * pg_stat_activity}), on MySQL/MariaDB the {@code PROCESS} privilege (for {@code
 * information_schema.INNODB_TRX}). Without it, {@link #seesAll()} is false and the caller can
 * only assume that every transaction is shorter than a margin.
 *
 * @param now the server's clock when asked
 * @param oldestStart start of the oldest transaction another session has open; null when none
 *     is (visible)
 * @param seesAll whether every session's transactions could be seen (see above)
 */
public record OpenTransactions(Instant now, Instant oldestStart, boolean seesAll) {
  /** Asks the server {@code c} is connected to, about the transactions on its database. */
  public static OpenTransactions on(Connection c, Dialect dialect) throws SQLException {
    return dialect == Dialect.POSTGRESQL ? postgres(c) : mysql(c);
  }

  private static OpenTransactions postgres(Connection c) throws SQLException {
    // Sessions the user may not see show state NULL; background processes write no user rows.
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT statement_timestamp(), min(xact_start) FILTER"
            + " (WHERE pid <> pg_backend_pid() AND datname = current_database()),"
            + " count(*) FILTER (WHERE backend_type = 'client backend' AND state IS NULL)"
            + " FROM pg_stat_activity")) {
      rs.next();
      OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
      return new OpenTransactions(rs.getObject(1, OffsetDateTime.class).toInstant(),
          oldest == null ? null : oldest.toInstant(), rs.getLong(3) == 0);
    }
  }

  private static OpenTransactions mysql(Connection c) throws SQLException {
    Instant now;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT UNIX_TIMESTAMP(NOW(6))")) {
      rs.next();
      now = instant(rs.getBigDecimal(1));
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT UNIX_TIMESTAMP(MIN(trx_started))"
            + " FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id <> CONNECTION_ID()")) {
      rs.next();
      BigDecimal oldest = rs.getBigDecimal(1);
      return new OpenTransactions(now, oldest == null ? null : instant(oldest), true);
    } catch (SQLException e) {
      if (e.getErrorCode() == 1227 || e.getErrorCode() == 1044 || e.getErrorCode() == 1142) {
        return new OpenTransactions(now, null, false); // no PROCESS privilege
      }
      throw e;
    }
  }

  private static Instant instant(BigDecimal epochSeconds) {
    BigDecimal micros = epochSeconds.movePointRight(6);
    return Instant.EPOCH.plusNanos(micros.longValue() * 1000);
  }
}
