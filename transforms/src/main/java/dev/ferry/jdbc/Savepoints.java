package dev.ferry.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.function.Predicate;

/**
 * Statements tried under a savepoint, so that a statement the target refuses for a reason the
 * caller handles (a row's data, a foreign key) rolls back alone and the transaction goes on: the
 * writers try a chunk whole, then isolate the rows at fault.
 */
public final class Savepoints {
  /** Statements to run under one savepoint. */
  @FunctionalInterface
  public interface Action {
    void run() throws SQLException;
  }

  private Savepoints() {}

  /**
   * Runs {@code action} under a savepoint of {@code c}. Returns null when it succeeded, or the
   * error it was rolled back for when {@code handled} accepts that error; any other error is
   * thrown, the savepoint left to the caller's rollback.
   */
  public static SQLException attempt(Connection c, Action action,
      Predicate<SQLException> handled) throws SQLException {
    Savepoint savepoint = c.setSavepoint();
    try {
      action.run();
      c.releaseSavepoint(savepoint);
      return null;
    } catch (SQLException e) {
      if (!handled.test(e)) {
        throw e;
      }
      c.rollback(savepoint);
      return e;
    }
  }
}
