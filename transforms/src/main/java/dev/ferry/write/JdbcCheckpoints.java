package dev.ferry.write;

import dev.ferry.progress.Checkpoint;
import dev.ferry.progress.CheckpointSequencer;
import dev.ferry.progress.StateTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A JDBC writer's checkpoints in {@code ferry_progress}, on the writer's own connection. */
final class JdbcCheckpoints implements CheckpointSequencer.Store<SQLException> {
  private final Connection connection;
  private final StateTables state;
  private final String job;
  private final String fingerprint;
  private final PreparedStatement advance;
  private PreparedStatement currentSeq;

  JdbcCheckpoints(Connection connection, StateTables state, String job, String fingerprint)
      throws SQLException {
    this.connection = connection;
    this.state = state;
    this.job = job;
    this.fingerprint = fingerprint;
    this.advance = connection.prepareStatement(state.advanceCheckpoint());
  }

  /**
   * Moves the range's checkpoint from {@code c.seq() - 1} to {@code c.seq()} inside the caller's
   * transaction, the one that writes the chunk's rows; false if it is not there.
   */
  boolean advanceInTransaction(Checkpoint c) throws SQLException {
    advance.setLong(1, c.seq());
    advance.setString(2, c.lastKey());
    advance.setLong(3, c.read());
    advance.setLong(4, c.written());
    advance.setLong(5, c.dead());
    advance.setBoolean(6, c.last());
    advance.setString(7, job);
    advance.setString(8, fingerprint);
    advance.setInt(9, c.range());
    advance.setLong(10, c.seq() - 1);
    return advance.executeUpdate() == 1;
  }

  /** A parked checkpoint advances in a transaction of its own. */
  @Override
  public boolean advance(Checkpoint c) throws SQLException {
    try {
      boolean advanced = advanceInTransaction(c);
      connection.commit();
      return advanced;
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }

  @Override
  public long currentSeq(int range) throws SQLException {
    if (currentSeq == null) {
      currentSeq = connection.prepareStatement("SELECT seq FROM "
          + state.table(StateTables.PROGRESS)
          + " WHERE job = ? AND fingerprint = ? AND range_index = ?");
    }
    currentSeq.setString(1, job);
    currentSeq.setString(2, fingerprint);
    currentSeq.setInt(3, range);
    try (ResultSet rs = currentSeq.executeQuery()) {
      long seq = rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
      connection.commit();
      return seq;
    }
  }
}
