package dev.ferry.reconcile;

import dev.ferry.jdbc.JdbcEndpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Read-only connections to one database, kept open between reads: a new connection (a server
 * process, a SCRAM handshake: about 50 ms of a cold JVM's CPU) costs more than reading a bucket.
 * One DoFn instance keeps them between the reads of its ranges (joining the differing buckets of
 * a range reads each side two or three times); a launcher keeps them from its first question to
 * a server to the report's examples ({@link BucketComparison}, {@link LocalBucketJoin},
 * {@link KeyLookup}, {@link PushdownPlan.Server#probe(SideConnections)}). A connection is checked
 * before it is handed out again, so one the server dropped meanwhile is replaced, not used. One
 * user at a time (a DoFn instance, or the launcher's thread for that side); it may be closed
 * from another thread. Whoever creates it closes it.
 */
public final class SideConnections implements AutoCloseable {
  // Enough for the concurrent reads of one range on one side: its sorted stream and a lookup.
  private static final int IDLE = 2;
  private static final int VALID_SECONDS = 5;

  private final JdbcEndpoint endpoint;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private boolean closed;

  public SideConnections(JdbcEndpoint endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  JdbcEndpoint endpoint() {
    return endpoint;
  }

  /** What a caller does with one connection. */
  public interface Work<T> {
    T on(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} on a connection of these ({@link #take}) and gives it back: kept when the
   * work returned, closed when it threw.
   */
  public <T> T with(Work<T> work) throws SQLException {
    Connection c = take();
    T result;
    try {
      result = work.on(c);
    } catch (SQLException | RuntimeException e) {
      try {
        give(c, false);
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    give(c, true);
    return result;
  }

  /** An open read-only connection in a transaction of its own (autocommit off). */
  Connection take() throws SQLException {
    for (Connection c = pollIdle(); c != null; c = pollIdle()) {
      if (c.isValid(VALID_SECONDS)) {
        return c;
      }
      closeQuietly(c);
    }
    Connection c = endpoint.connect(JdbcEndpoint.Role.SOURCE);
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
   * failed is closed instead, as is any beyond the few kept or given back after {@link #close}.
   */
  void give(Connection c, boolean healthy) throws SQLException {
    if (!healthy) {
      JdbcEndpoint.discard(c);
      return;
    }
    try {
      c.commit();
    } catch (SQLException e) {
      closeQuietly(c);
      throw e;
    }
    if (!keep(c)) {
      c.close();
    }
  }

  private synchronized Connection pollIdle() {
    return idle.poll();
  }

  private synchronized boolean keep(Connection c) {
    if (closed || idle.size() >= IDLE) {
      return false;
    }
    idle.push(c);
    return true;
  }

  /**
   * Closes the idle connections; one still taken is closed when it is given back (a task may
   * still be using it when its caller gives up).
   */
  @Override
  public synchronized void close() {
    closed = true;
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
