package dev.ferry.jdbc;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Sorts database errors into the three ways ferry reacts to them: transient (retry with
 * backoff: the server restarted, the network dropped, a deadlock), data (the row is at fault:
 * dead-letter it and go on) and everything else (the job is misconfigured: stop).
 */
public final class SqlErrors {
  // MySQL/MariaDB error numbers for row-level data problems reported with a generic SQLState.
  private static final Set<Integer> MYSQL_DATA_ERRORS =
      Set.of(1048, 1062, 1264, 1265, 1292, 1366, 1367, 1406, 1451, 1452, 1690, 3819, 4025, 4032);
  private static final Set<Integer> MYSQL_TRANSIENT_ERRORS = Set.of(1205, 1213, 2006, 2013, 1053);

  private SqlErrors() {}

  public static boolean isTransient(SQLException e) {
    for (SQLException cur = e; cur != null; cur = chained(cur)) {
      if (cur instanceof SQLTransientException || cur instanceof SQLRecoverableException) {
        return true;
      }
      String state = cur.getSQLState();
      if (state != null
          && (state.startsWith("08")
              || state.startsWith("40")
              || state.startsWith("53")
              || state.startsWith("57P")
              || state.equals("HYT00"))) {
        return true;
      }
      if (MYSQL_TRANSIENT_ERRORS.contains(cur.getErrorCode())) {
        return true;
      }
    }
    return false;
  }

  /** The error chained to {@code e} (a batch's next row); null at the end or at a self-chain. */
  private static SQLException chained(SQLException e) {
    SQLException next = e.getNextException();
    return next == e ? null : next;
  }

  /**
   * True when the error or one chained to it ({@link SQLException#getNextException}: a batch's
   * rows) has a SQLState starting with {@code statePrefix}.
   */
  public static boolean hasState(SQLException e, String statePrefix) {
    for (SQLException cur = e; cur != null; cur = chained(cur)) {
      String state = cur.getSQLState();
      if (state != null && state.startsWith(statePrefix)) {
        return true;
      }
    }
    return false;
  }

  /** True when the error is about the values of a row, not about the connection or the job. */
  public static boolean isDataError(SQLException e) {
    if (isTransient(e)) {
      return false;
    }
    String state = rootState(e);
    // 21: one statement touched a key twice (duplicate keys in the source)
    if (state != null && (state.startsWith("21") || state.startsWith("22") || state.startsWith("23"))) {
      return true;
    }
    return MYSQL_DATA_ERRORS.contains(rootCode(e));
  }

  // Batch failures wrap the row's own error as the next exception.
  private static String rootState(SQLException e) {
    SQLException next = e.getNextException();
    if (next != null && next.getSQLState() != null) {
      return next.getSQLState();
    }
    return e.getSQLState();
  }

  private static int rootCode(SQLException e) {
    SQLException next = e.getNextException();
    if (next != null && next.getErrorCode() != 0) {
      return next.getErrorCode();
    }
    return e.getErrorCode();
  }

  /** The most specific message: the row's own error rather than the batch's wrapper. */
  public static String message(SQLException e) {
    SQLException next = e.getNextException();
    String message = next != null && next.getMessage() != null ? next.getMessage() : e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.trim();
  }
}
