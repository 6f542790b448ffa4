package dev.ferry.read;

import dev.ferry.jdbc.ColumnReader;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.RowJson;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Turns the current row of a read into ferry values, column by column, with the large values
 * left out of a bounded cursor fetched again by key; a value that cannot be represented makes
 * the row a dead letter that names the table, the key and the column.
 */
final class RowValues {
  private final Counter rowsRejected = Metrics.counter(ReadRanges.class, "rowsRejectedOnRead");
  private final Counter zeroDatesNulled = Metrics.counter(ReadRanges.class, "zeroDatesNulled");
  private final Counter largeValueRows = Metrics.counter(ReadRanges.class, "largeValueRows");
  private final ReadSettings s;
  private final ColumnReader[] readers;
  private final SourceConnection source;

  RowValues(ReadSettings settings, ColumnReader[] readers, SourceConnection source) {
    this.s = settings;
    this.readers = readers;
    this.source = source;
  }

  int width() {
    return readers.length;
  }

  /**
   * Fills {@code values}; returns null, or the dead letter when a value cannot be represented.
   * With {@code bounded}, values longer than the large-value threshold arrive as NULL with their
   * length, and are fetched again by key, one row at a time.
   */
  DeadLetter read(ResultSet rs, Object[] values, boolean bounded)
      throws SQLException, InterruptedException {
    Problem problem = new Problem();
    for (int i = 0; i < readers.length; i++) {
      values[i] = value(rs, i + 1, i, problem);
    }
    if (bounded && problem.column == null) {
      long largeBytes = 0;
      for (int k = 0; k < s.largeColumns.length; k++) {
        largeBytes += rs.getLong(readers.length + 1 + k);
      }
      if (largeBytes > 0) {
        largeValueRows.inc();
        // Fetching a value costs about three times its size for a moment (the driver's buffer,
        // its decoding, the Java value): the gate keeps such moments from piling up.
        long cost = 3 * largeBytes;
        ByteGate.LARGE_VALUES.acquire(cost);
        try {
          fetchLargeValues(values, problem);
        } finally {
          ByteGate.LARGE_VALUES.release(cost);
        }
      }
    }
    if (problem.column == null) {
      return null;
    }
    rowsRejected.inc();
    return new DeadLetter(
        KeyCodec.readable(keyNames(), keyOf(values)), DeadLetter.Stage.READ, problem.column,
        "table " + s.relationName + ", column " + problem.column + ": " + problem.message,
        RowJson.render(s.layout, values));
  }

  private static final class Problem {
    String column;
    String message;

    void note(String column, String message) {
      if (this.column == null) {
        this.column = column;
        this.message = message;
      }
    }
  }

  private Object value(ResultSet rs, int position, int column, Problem problem)
      throws SQLException {
    try {
      return readers[column].read(rs, position);
    } catch (ColumnReader.ZeroDateException e) {
      if (s.zeroDatesAsNull) {
        zeroDatesNulled.inc();
        return null;
      }
      problem.note(s.layout.column(column).name(),
          e.getMessage() + " (set source.zeroDates: null to load it as NULL)");
      return rs.getString(position);
    } catch (ColumnReader.UnreadableValueException e) {
      problem.note(s.layout.column(column).name(), e.getMessage());
      return rs.getString(position);
    }
  }

  /** Reads the large-capable columns of one row again, by key, in the read's transaction. */
  private void fetchLargeValues(Object[] values, Problem problem) throws SQLException {
    PreparedStatement lookup = source.lookup();
    Object[] key = keyOf(values);
    for (int i = 0; i < key.length; i++) {
      lookup.setObject(i + 1, key[i]);
    }
    try (ResultSet rs = lookup.executeQuery()) {
      if (!rs.next()) {
        problem.note(s.layout.column(s.largeColumns[0]).name(), "the row could not be read again"
            + " by its key for its large values");
        return;
      }
      for (int k = 0; k < s.largeColumns.length; k++) {
        values[s.largeColumns[k]] = value(rs, k + 1, s.largeColumns[k], problem);
      }
      if (rs.next()) {
        problem.note(s.layout.column(s.largeColumns[0]).name(), "the key is not unique, so the"
            + " row's large values cannot be read apart from the other rows with that key");
      }
    }
  }

  private List<String> keyNames() {
    List<String> names = new ArrayList<>(s.keyIndexes.length);
    for (int k : s.keyIndexes) {
      names.add(s.layout.column(k).name());
    }
    return names;
  }

  Object[] keyOf(Object[] values) {
    Object[] key = new Object[s.keyIndexes.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = values[s.keyIndexes[i]];
    }
    return key;
  }
}
