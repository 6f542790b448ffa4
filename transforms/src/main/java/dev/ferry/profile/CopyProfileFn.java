package dev.ferry.profile;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.jdbc.SqlErrors;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.RangeSql;
import dev.ferry.plan.SourceRelation;
import dev.ferry.jdbc.ColumnReader;
import dev.ferry.read.RangeTask;
import dev.ferry.record.Column;
import dev.ferry.record.CopyTextRows;
import dev.ferry.record.Layout;
import dev.ferry.retry.Backoff;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each key range of a PostgreSQL table with {@code COPY (SELECT …) TO STDOUT} and profiles
 * the rows as they are parsed ({@link CopyText}), without chunks in between: one partial
 * {@link ProfileStats} per bundle, as {@link ProfileChunksFn} emits. See
 * {@link ProfileRows#viaPostgresCopy} for when this path applies.
 *
 * <p>Rows that COPY text cannot give as the JDBC reader would are read again by key through
 * JDBC with the reader's own {@link ColumnReader}s, in the same snapshot (the range's
 * transaction is REPEATABLE READ): values in unusual forms (NaN, infinity, BC dates), and values
 * stored in more than {@value #COPY_STORED_BYTES} bytes, which COPY would hand over whole in one
 * message per row and so are fetched one row at a time, as the reader fetches large values.
 */
final class CopyProfileFn extends DoFn<RangeTask, ProfileStats> {
  /** Above this stored (possibly compressed) size, a value is not sent through COPY. */
  static final int COPY_STORED_BYTES = 64 << 10;
  private static final int NULL_KEY_FETCH_SIZE = 1000;
  private static final int LOOKUP_BATCH = 1000;
  /** Attempts per range on transient errors, as {@code ReadRanges} makes by default. */
  static final int MAX_ATTEMPTS = 8;
  private static final Logger LOG = LoggerFactory.getLogger(CopyProfileFn.class);

  private final ProfileRows.Config config;
  private final JdbcEndpoint source;
  private final String from;
  private final RangeSql rangeSql;
  private final String selectList;
  private final String lookupSql;
  private final String lookupManySql;
  private final String keyArrayType;

  private transient RowProfiler profiler;
  private transient CopyText text;
  private transient ColumnReader[] readers;
  private transient Connection connection;
  private transient PreparedStatement lookup;
  private transient PreparedStatement lookupMany;
  /** The ranges of the bundle read so far, summed; null before the first. */
  private transient ProfileStats bundle;

  CopyProfileFn(ProfileRows.Config config, JdbcEndpoint source, SourceRelation relation) {
    this.config = config;
    this.source = source;
    Dialect dialect = Dialect.POSTGRESQL;
    this.from = " FROM " + relation.fromClause(dialect);
    this.rangeSql = new RangeSql(dialect, config.keyColumns);
    Layout layout = config.layout;
    StringBuilder select = new StringBuilder();
    List<String> oversize = new ArrayList<>();
    for (Column c : layout.columns()) {
      String q = dialect.quote(c.name());
      select.append(select.length() == 0 ? "" : ", ");
      if (CopyText.isLargeCapable(c)) {
        String stored = "pg_column_size(" + q + ") > " + COPY_STORED_BYTES;
        select.append("CASE WHEN ").append(stored).append(" THEN NULL ELSE ").append(q)
            .append(" END");
        oversize.add(stored);
      } else {
        select.append(q);
      }
    }
    // The row's last field says whether a value was left out for being large.
    select.append(", ").append(oversize.isEmpty() ? "false"
        : "(" + String.join(" OR ", oversize) + ") IS TRUE");
    this.selectList = select.toString();
    List<String> keyTerms = new ArrayList<>();
    for (String k : config.keyColumns) {
      keyTerms.add(dialect.quote(k) + " = ?");
    }
    this.lookupSql = "SELECT " + dialect.columnList(layout.names()) + from + " WHERE "
        + String.join(" AND ", keyTerms);
    this.lookupManySql = "SELECT " + dialect.columnList(layout.names()) + from + " WHERE "
        + dialect.quote(config.keyColumns.get(0)) + " = ANY(?)";
    // The column's own type for text keys: a char(n) key compares with its padding ignored.
    Column firstKey = layout.column(layout.indexOf(config.keyColumns.get(0)));
    this.keyArrayType = firstKey.isInteger() ? "bigint" : firstKey.typeName();
  }

  @Setup
  public void setup() {
    profiler = new RowProfiler(config);
    text = new CopyText(config.layout);
    readers = ColumnReader.forColumns(config.layout.columns(), Dialect.POSTGRESQL);
  }

  @Teardown
  public void teardown() throws SQLException {
    if (connection != null) {
      connection.close();
      connection = null;
      lookup = null;
      lookupMany = null;
    }
  }

  @StartBundle
  public void startBundle() {
    bundle = null;
  }

  /**
   * Profiles one range into a partial of its own that joins the bundle's only once the range is
   * read whole, so a range retried after a transient error (a dropped connection, a server
   * restart) is counted once; the reader retries the same errors as often.
   */
  @ProcessElement
  public void process(@Element RangeTask task) throws SQLException, InterruptedException {
    KeyRange range = task.range();
    Backoff backoff = Backoff.start();
    for (int attempt = 1; ; attempt++) {
      profiler.start();
      try {
        Connection c = connection();
        long rows = range.nullKeys() ? readNullKeys(c, range) : copy(c, range);
        c.commit();
        profiler.counted(rows);
        ProfileStats partial = profiler.finish();
        if (bundle == null) {
          bundle = partial;
        } else {
          bundle.merge(partial);
        }
        return;
      } catch (SQLException e) {
        profiler.finish();
        teardown();
        if (!SqlErrors.isTransient(e) || attempt >= MAX_ATTEMPTS) {
          throw new SQLException("profiling range " + range + " of" + from + " by COPY failed: "
              + source.redact(String.valueOf(e.getMessage())), e.getSQLState(), e);
        }
        long backoffMillis = backoff.nextMillis();
        LOG.warn("range {} of{}: transient error ({}), retrying in {} ms (attempt {}/{})", range,
            from, source.redact(String.valueOf(e.getMessage())), backoffMillis, attempt,
            MAX_ATTEMPTS);
        Thread.sleep(backoffMillis);
      } catch (RuntimeException e) {
        teardown();
        throw e;
      }
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    ProfileStats stats = takeBundle();
    if (stats != null && !stats.isEmpty()) {
      context.output(stats, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
  }

  /** The profile of the ranges read since the bundle started (null if none); starts anew. */
  ProfileStats takeBundle() {
    ProfileStats stats = bundle;
    bundle = null;
    return stats;
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = source.connect(JdbcEndpoint.Role.SOURCE);
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      connection.setReadOnly(true);
    }
    return connection;
  }

  /** Profiles a range from its COPY text; returns the rows profiled. */
  private long copy(Connection c, KeyRange range) throws SQLException {
    String sql = "COPY (SELECT " + selectList + from + " WHERE "
        + rangeSql.whereLiteral(range, null) + ") TO STDOUT";
    Object[] values = new Object[config.layout.size()];
    int[] keys = profiler.keyIndexes();
    List<Object[]> large = new ArrayList<>();
    List<Object[]> unusual = new ArrayList<>();
    long rows = 0;
    CopyOut out = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
    byte[] row;
    while ((row = out.readFromCopy()) != null) {
      int end = text.parse(row, row.length, values);
      // The row's last field, before its newline, says whether a value was left out.
      boolean leftOut = row[row.length - 2] == 't';
      if (end < 0 || leftOut) {
        // Read again by key below: the COPY is still streaming on this connection.
        (leftOut ? large : unusual).add(CopyTextRows.key(row, config.layout, keys));
        continue;
      }
      profiler.read(1);
      profiler.profile(values, null);
      rows++;
    }
    for (Object[] key : large) {
      rows += lookUp(c, key);
    }
    if (keys.length == 1) {
      rows += lookUpMany(c, unusual);
    } else {
      for (Object[] key : unusual) {
        rows += lookUp(c, key);
      }
    }
    return rows;
  }

  /**
   * Reads rows again by their single-column keys, {@value #LOOKUP_BATCH} keys per query: a
   * column of {@code 'infinity'} defaults makes every row one to read again. Their values are
   * not large (those rows are read one at a time), and the rows are fetched in small batches.
   */
  private long lookUpMany(Connection c, List<Object[]> keys) throws SQLException {
    long rows = 0;
    for (int start = 0; start < keys.size(); start += LOOKUP_BATCH) {
      List<Object[]> batch = keys.subList(start, Math.min(keys.size(), start + LOOKUP_BATCH));
      Object[] ids = new Object[batch.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = batch.get(i)[0];
      }
      if (lookupMany == null) {
        lookupMany = c.prepareStatement(lookupManySql);
        lookupMany.setFetchSize(NULL_KEY_FETCH_SIZE);
      }
      lookupMany.setArray(1, c.createArrayOf(keyArrayType, ids));
      long found = 0;
      try (ResultSet rs = lookupMany.executeQuery()) {
        while (rs.next()) {
          found++;
          rows += readRow(rs);
        }
      }
      if (found != ids.length) {
        throw new SQLException(ids.length + " rows" + from.substring(" FROM".length())
            + " could not all be read again by key in the same snapshot: " + found + " found");
      }
    }
    return rows;
  }

  /** Reads one row again by key through JDBC and profiles it; returns 1 if it was profiled. */
  private long lookUp(Connection c, Object[] key) throws SQLException {
    if (lookup == null) {
      lookup = c.prepareStatement(lookupSql);
    }
    for (int i = 0; i < key.length; i++) {
      lookup.setObject(i + 1, key[i]);
    }
    try (ResultSet rs = lookup.executeQuery()) {
      if (!rs.next()) {
        profiler.read(1);
        profiler.rejected(profiler.keyText(key), config.layout.column(
            profiler.keyIndexes()[0]).name(), "the row could not be read again by its key");
        return 0;
      }
      return readRow(rs);
    }
  }

  /** The range of rows without a key: read through JDBC, as they cannot be looked up. */
  private long readNullKeys(Connection c, KeyRange range) throws SQLException {
    List<Object> params = new ArrayList<>();
    String sql = "SELECT " + Dialect.POSTGRESQL.columnList(config.layout.names()) + from
        + " WHERE " + rangeSql.where(range, null, params);
    long rows = 0;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setFetchSize(NULL_KEY_FETCH_SIZE);
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows += readRow(rs);
        }
      }
    }
    return rows;
  }

  /**
   * Profiles the result set's current row as the JDBC reader reads it, or counts it as rejected
   * for its first unreadable value; returns 1 if it was profiled.
   */
  private long readRow(ResultSet rs) throws SQLException {
    Object[] values = new Object[readers.length];
    String column = null;
    String message = null;
    for (int i = 0; i < readers.length; i++) {
      try {
        values[i] = readers[i].read(rs, i + 1);
      } catch (ColumnReader.UnreadableValueException e) {
        if (column == null) {
          column = config.layout.column(i).name();
          message = e.getMessage();
        }
        values[i] = rs.getString(i + 1);
      }
    }
    profiler.read(1);
    if (column != null) {
      int[] keys = profiler.keyIndexes();
      Object[] key = new Object[keys.length];
      for (int k = 0; k < keys.length; k++) {
        key[k] = values[keys[k]];
      }
      profiler.rejected(profiler.keyText(key), column, message);
      return 0;
    }
    profiler.profile(values, null);
    return 1;
  }
}
