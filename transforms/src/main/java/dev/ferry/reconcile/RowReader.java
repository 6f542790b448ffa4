package dev.ferry.reconcile;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.jdbc.ColumnReader;
import dev.ferry.read.SourceColumns;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the rows of one side that a WHERE clause selects, as values of the read layout. A
 * value ferry cannot represent (a MySQL zero date, an infinite timestamp) keeps its raw text, so
 * it still compares unequal to anything the backfill could have written, instead of failing the
 * comparison; zero dates become NULL when the backfill was told to load them so.
 */
final class RowReader {
  /** Receives each row; its array is the caller's to keep. */
  interface Sink {
    void accept(Object[] values) throws Exception;
  }

  private final ReconcileSide side;
  private final ColumnReader[] readers;
  private final boolean withHash;
  private final String select;
  private final SideConnections connections;

  /**
   * Reads whole rows, in the side's read layout, over {@code connections} (null: a connection of
   * its own per read).
   */
  RowReader(ReconcileSide side, SideConnections connections) {
    this(side, side.readLayout().columns(), null, connections);
  }

  private RowReader(ReconcileSide side, List<Column> columns, String hashSql,
      SideConnections connections) {
    this.side = side;
    this.connections = connections;
    Dialect dialect = side.dialect();
    this.readers = ColumnReader.forColumns(columns, dialect);
    List<String> names = new ArrayList<>();
    for (Column c : columns) {
      names.add(c.name());
    }
    this.withHash = hashSql != null;
    // Read as the backfill reads (a MariaDB FLOAT widened), so no value is rounded here.
    this.select = "SELECT " + SourceColumns.selectList(dialect, new Layout(columns))
        + (withHash ? ", " + hashSql : "")
        + " FROM " + side.relation().fromClause(dialect);
  }

  /**
   * Reads only the range key columns and a 64-bit row hash computed in SQL: each row is the key
   * values followed by the hash as a Long.
   */
  static RowReader keysWithHash(ReconcileSide side, String hashSql,
      SideConnections connections) {
    return new RowReader(side, side.rangeKeyColumns(), hashSql, connections);
  }

  /** Reads every row matching {@code where} with its {@code params}; returns the row count. */
  long read(String where, List<Object> params, int fetchSize, Sink sink) throws Exception {
    long rows = 0;
    try (Cursor cursor = open(where, params, null, fetchSize)) {
      for (Object[] values = cursor.next(); values != null; values = cursor.next()) {
        sink.accept(values);
        rows++;
      }
    }
    return rows;
  }

  /**
   * Opens a stream of the rows matching {@code where}, sorted by {@code orderBy} when it is not
   * null; the caller pulls rows one by one and closes the cursor.
   */
  Cursor open(String where, List<Object> params, String orderBy, int fetchSize)
      throws SQLException {
    Dialect dialect = side.dialect();
    Connection connection;
    try {
      connection = connections != null ? connections.take()
          : side.endpoint().connect(JdbcEndpoint.Role.SOURCE);
    } catch (SQLException e) {
      throw failed(e);
    }
    try {
      if (connections == null) {
        connection.setReadOnly(true);
        connection.setAutoCommit(false);
      }
      PreparedStatement ps = connection.prepareStatement(select + " WHERE " + where
          + (orderBy == null ? "" : " ORDER BY " + orderBy),
          ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      ps.setFetchSize(dialect == Dialect.MYSQL ? Integer.MIN_VALUE : fetchSize);
      for (int i = 0; i < params.size(); i++) {
        KeyBinding.bind(ps, i + 1, params.get(i), dialect);
      }
      return new Cursor(connection, ps.executeQuery());
    } catch (SQLException e) {
      throw failedOn(connection, e);
    }
  }

  /** {@code e} as {@link #failed}, after giving up {@code connection}. */
  private SQLException failedOn(Connection connection, SQLException e) {
    try {
      release(connection, false);
    } catch (SQLException suppressed) {
      e.addSuppressed(suppressed);
    }
    return failed(e);
  }

  /** Ends the reads on {@code connection}: back to {@link #connections}, or closed. */
  private void release(Connection connection, boolean healthy) throws SQLException {
    if (connections != null) {
      connections.give(connection, healthy);
    } else if (healthy) {
      try (Connection c = connection) {
        c.commit();
      }
    } else {
      connection.close();
    }
  }

  private SQLException failed(SQLException e) {
    return new SQLException("reading " + side.role() + " " + side.displayName() + " at "
        + side.endpoint() + " failed: " + side.endpoint().redact(e.getMessage()),
        e.getSQLState(), e.getErrorCode());
  }

  /** An open, forward-only stream of rows; {@link #next()} returns null after the last. */
  final class Cursor implements AutoCloseable {
    private final Connection connection;
    private final ResultSet rows;

    private Cursor(Connection connection, ResultSet rows) {
      this.connection = connection;
      this.rows = rows;
    }

    /** The next row, its array the caller's to keep; null when there are no more. */
    Object[] next() throws SQLException {
      try {
        return rows.next() ? values(rows) : null;
      } catch (SQLException e) {
        throw failed(e);
      }
    }

    @Override
    public void close() throws SQLException {
      try {
        rows.close();
      } catch (SQLException e) {
        throw failedOn(connection, e);
      }
      try {
        release(connection, true);
      } catch (SQLException e) {
        throw failed(e);
      }
    }
  }

  private Object[] values(ResultSet rs) throws SQLException {
    Object[] values = new Object[readers.length + (withHash ? 1 : 0)];
    if (withHash) {
      values[readers.length] = rs.getLong(readers.length + 1);
    }
    for (int i = 0; i < readers.length; i++) {
      try {
        values[i] = readers[i].read(rs, i + 1);
      } catch (ColumnReader.ZeroDateException e) {
        values[i] = side.zeroDatesAsNull() ? null : rs.getString(i + 1);
      } catch (ColumnReader.UnreadableValueException e) {
        values[i] = rs.getString(i + 1);
      }
    }
    return values;
  }
}
