package dev.ferry.reconcile;

import dev.ferry.jdbc.JdbcEndpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Read-only connections to one side, kept open between the reads of one DoFn instance: joining
 * the differing buckets of a range reads each side two or three times, and a new connection
 * (a server process, a SCRAM handshake) costs more than reading a bucket. A connection is checked
 * before it is handed out again, so one the server dropped meanwhile is replaced, not used. Not
 * thread-safe: one per side and DoFn instance, closed in its teardown.
 */
final class SideConnections implements AutoCloseable {
  // Enough for the concurrent reads of one range on one side: its sorted stream and a lookup.
  private static final int IDLE = 2;
  private static final int VALID_SECONDS = 5;

  private final ReconcileSide side;
  private final Deque<Connection> idle = new ArrayDeque<>();

  SideConnections(ReconcileSide side) {
    this.side = side;
  }

  /** An open read-only connection in a transaction of its own (autocommit off). */
  Connection take() throws SQLException {
    for (Connection c = idle.poll(); c != null; c = idle.poll()) {
      if (c.isValid(VALID_SECONDS)) {
        return c;
      }
      closeQuietly(c);
    }
    Connection c = side.endpoint().connect(JdbcEndpoint.Role.SOURCE);
    try {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /**
   * Takes back a connection whose reads ended; its transaction is committed first. One that
   * failed is closed instead, as is any beyond the few kept.
   */
  void give(Connection c, boolean healthy) throws SQLException {
    if (!healthy || idle.size() >= IDLE) {
      c.close();
      return;
    }
    try {
      c.commit();
    } catch (SQLException e) {
      closeQuietly(c);
      throw e;
    }
    idle.push(c);
  }

  @Override
  public void close() {
    for (Connection c = idle.poll(); c != null; c = idle.poll()) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // Closing a connection that is already broken has nothing left to report.
    }
  }
}
