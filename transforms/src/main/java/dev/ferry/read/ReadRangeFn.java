package dev.ferry.read;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.jdbc.SqlErrors;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.RangeSql;
import dev.ferry.record.Chunk;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import dev.ferry.record.RowJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Streams one key range and emits it as numbered chunks; see {@link ReadRanges}. */
final class ReadRangeFn extends DoFn<RangeTask, Chunk> {
  private static final Logger LOG = LoggerFactory.getLogger(ReadRangeFn.class);

  private final JdbcEndpoint endpoint;
  private final String select;
  private final RangeSql rangeSql;
  private final String sincePredicate;
  private final Object sinceValue;
  private final Layout layout;
  private final int[] keyIndexes;
  private final String relationName;
  private final int chunkSize;
  private final int fetchSize;
  private final double maxRowsPerSecond;
  private final String throttleName;
  private final boolean zeroDatesAsNull;
  private final int maxAttempts;

  private final Counter rowsRead = Metrics.counter(ReadRanges.class, "rowsRead");
  private final Counter rowsRejected = Metrics.counter(ReadRanges.class, "rowsRejectedOnRead");
  private final Counter zeroDatesNulled = Metrics.counter(ReadRanges.class, "zeroDatesNulled");
  private final Counter readRetries = Metrics.counter(ReadRanges.class, "readRetries");

  private transient Throttle throttle;
  private transient ColumnReader[] readers;

  ReadRangeFn(
      JdbcEndpoint endpoint, String select, RangeSql rangeSql, String sincePredicate,
      Object sinceValue, Layout layout, int[] keyIndexes, String relationName, int chunkSize,
      int fetchSize, double maxRowsPerSecond, String throttleName, boolean zeroDatesAsNull,
      int maxAttempts) {
    this.endpoint = endpoint;
    this.select = select;
    this.rangeSql = rangeSql;
    this.sincePredicate = sincePredicate;
    this.sinceValue = sinceValue;
    this.layout = layout;
    this.keyIndexes = keyIndexes;
    this.relationName = relationName;
    this.chunkSize = chunkSize;
    this.fetchSize = fetchSize;
    this.maxRowsPerSecond = maxRowsPerSecond;
    this.throttleName = throttleName;
    this.zeroDatesAsNull = zeroDatesAsNull;
    this.maxAttempts = maxAttempts;
  }

  @Setup
  public void setup() {
    throttle = maxRowsPerSecond > 0 ? Throttle.shared(throttleName, maxRowsPerSecond) : null;
    Dialect dialect = endpoint.dialect();
    readers = new ColumnReader[layout.size()];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = ColumnReader.forColumn(
          layout.column(i).jdbcType(), layout.column(i).typeName(), dialect);
    }
  }

  /** Position within a range, carried across reconnects. */
  private static final class Cursor {
    long seq;
    Object[] afterKey;
  }

  @ProcessElement
  public void process(@Element RangeTask task, OutputReceiver<Chunk> out) throws Exception {
    KeyRange range = task.range();
    Cursor cursor = new Cursor();
    cursor.seq = task.committedSeq();
    cursor.afterKey = task.afterKey() == null ? null : KeyCodec.decode(task.afterKey());
    for (int attempt = 1; ; attempt++) {
      try {
        readFrom(range, cursor, out);
        return;
      } catch (SQLException e) {
        if (!SqlErrors.isTransient(e) || attempt >= maxAttempts) {
          throw new SQLException(
              "reading " + relationName + " " + range + " from " + endpoint + " failed: "
                  + endpoint.redact(e.getMessage()),
              e.getSQLState(), e.getErrorCode());
        }
        readRetries.inc();
        long backoffMillis = Math.min(30_000, 500L << Math.min(attempt, 6));
        LOG.warn("{} {}: transient error ({}), retrying in {} ms (attempt {}/{})",
            relationName, range, endpoint.redact(e.getMessage()), backoffMillis, attempt,
            maxAttempts);
        Thread.sleep(backoffMillis);
      }
    }
  }

  private void readFrom(KeyRange range, Cursor cursor, OutputReceiver<Chunk> out)
      throws SQLException, InterruptedException {
    List<Object> params = new ArrayList<>();
    // NULL keys have no order to resume in, so that range is always read whole.
    Object[] after = range.nullKeys() ? null : cursor.afterKey;
    String where = rangeSql.where(range, after, params);
    if (sincePredicate != null) {
      where = where + " AND " + sincePredicate;
      params.add(sinceValue);
    }
    String sql = select + " WHERE " + where + rangeSql.orderBy();
    try (Connection connection = endpoint.connect(JdbcEndpoint.Role.SOURCE)) {
      connection.setReadOnly(true);
      connection.setAutoCommit(false);
      try (PreparedStatement ps = connection.prepareStatement(
          sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        ps.setFetchSize(endpoint.dialect() == Dialect.MYSQL ? Integer.MIN_VALUE : fetchSize);
        for (int i = 0; i < params.size(); i++) {
          ps.setObject(i + 1, params.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          List<Record> rows = new ArrayList<>(chunkSize);
          List<DeadLetter> rejected = new ArrayList<>();
          Object[] lastKey = null;
          while (rs.next()) {
            Object[] values = new Object[readers.length];
            if (readRow(rs, values, rejected)) {
              rows.add(new Record(values));
            }
            lastKey = keyOf(values);
            if (rows.size() + rejected.size() >= chunkSize) {
              emit(range, cursor, false, lastKey, rows, rejected, out);
              rows = new ArrayList<>(chunkSize);
              rejected = new ArrayList<>();
            }
          }
          emit(range, cursor, true, lastKey, rows, rejected, out);
        }
      }
      connection.commit();
    }
  }

  /** Fills {@code values}; false (and a dead letter) when a value cannot be represented. */
  private boolean readRow(ResultSet rs, Object[] values, List<DeadLetter> rejected)
      throws SQLException {
    String problemColumn = null;
    String problem = null;
    for (int i = 0; i < readers.length; i++) {
      try {
        values[i] = readers[i].read(rs, i + 1);
      } catch (ColumnReader.ZeroDateException e) {
        if (zeroDatesAsNull) {
          zeroDatesNulled.inc();
          values[i] = null;
          continue;
        }
        values[i] = rs.getString(i + 1);
        if (problem == null) {
          problemColumn = layout.column(i).name();
          problem = e.getMessage() + " (set source.zeroDates: null to load it as NULL)";
        }
      } catch (ColumnReader.UnreadableValueException e) {
        values[i] = rs.getString(i + 1);
        if (problem == null) {
          problemColumn = layout.column(i).name();
          problem = e.getMessage();
        }
      }
    }
    if (problem == null) {
      return true;
    }
    rejected.add(new DeadLetter(
        KeyCodec.readable(keyNames(), keyOf(values)), DeadLetter.Stage.READ, problemColumn,
        "table " + relationName + ", column " + problemColumn + ": " + problem,
        RowJson.render(layout, values)));
    rowsRejected.inc();
    return false;
  }

  private List<String> keyNames() {
    List<String> names = new ArrayList<>(keyIndexes.length);
    for (int k : keyIndexes) {
      names.add(layout.column(k).name());
    }
    return names;
  }

  private Object[] keyOf(Object[] values) {
    Object[] key = new Object[keyIndexes.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = values[keyIndexes[i]];
    }
    return key;
  }

  private void emit(
      KeyRange range, Cursor cursor, boolean last, Object[] lastKey, List<Record> rows,
      List<DeadLetter> rejected, OutputReceiver<Chunk> out) throws InterruptedException {
    long n = rows.size() + rejected.size();
    if (throttle != null && n > 0) {
      throttle.acquire(n);
    }
    cursor.seq++;
    String lastKeyText = range.nullKeys() || lastKey == null ? null : KeyCodec.encode(lastKey);
    out.output(new Chunk(range.index(), cursor.seq, last, lastKeyText, n, rows, null, rejected));
    rowsRead.inc(n);
    if (lastKey != null) {
      cursor.afterKey = lastKey;
    }
  }
}
