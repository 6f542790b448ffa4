package dev.ferry.read;

import dev.ferry.jdbc.ColumnReader;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.jdbc.SqlErrors;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.RangeSql;
import dev.ferry.record.Chunk;
import dev.ferry.record.CopyTextRows;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.InFlight;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import dev.ferry.record.RowJson;
import dev.ferry.record.ValueSize;
import dev.ferry.retry.Backoff;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one key range and emits it as numbered chunks; see {@link ReadRanges}.
 *
 * <p>A splittable DoFn whose only split is a checkpoint after the last emitted chunk ({@link
 * ReadPosition}). Every call hands control back to the runner after about half a second, 64
 * chunks or {@code maxChunkBytes} of output, with the rest of the range as a residual that
 * continues after the last emitted key. On runners that keep a call's whole output in memory
 * before the next step sees it (the DirectRunner does), this is what keeps a large range from
 * being held in memory whole; elsewhere it costs one more query per residual.
 */
@DoFn.BoundedPerElement
final class ReadRangeFn extends DoFn<RangeTask, Chunk> {
  private static final Logger LOG = LoggerFactory.getLogger(ReadRangeFn.class);

  static final long YIELD_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  static final int YIELD_AFTER_CHUNKS = 64;
  /** A call that would wait longer than this for the throttle returns first. */
  static final long THROTTLE_YIELD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /** What {@link ReadRanges} worked out once, at pipeline construction. */
  static final class Settings implements Serializable {
    private static final long serialVersionUID = 1L;
    JdbcEndpoint endpoint;
    /** SELECT … FROM …, every column whole. */
    String plainSelect;
    /**
     * PostgreSQL: SELECT … FROM … with large-capable columns replaced by NULL when longer than
     * the large-value threshold, plus one length column per large-capable column; null when
     * the source has no large-capable columns or is MySQL.
     */
    String boundedSelect;
    /**
     * PostgreSQL with large-capable columns: {@code boundedSelect}'s columns plus one boolean,
     * true when the row has a value longer than the threshold; for COPY text reading.
     */
    String copyFlaggedSelect;
    /**
     * {@code boundedSelect} and {@code copyFlaggedSelect} for servers before PostgreSQL 14, which
     * lack {@code pg_column_compression}: every length measured exactly; null when the same.
     */
    String legacyBoundedSelect;
    String legacyCopyFlaggedSelect;
    /** SELECT the large-capable columns FROM … WHERE key = ?; with {@code boundedSelect}. */
    String lookup;
    int[] largeColumns = new int[0];
    boolean binaryLookup;
    RangeSql rangeSql;
    String sincePredicate;
    Object sinceValue;
    Layout layout;
    int[] keyIndexes;
    String relationName;
    int chunkSize;
    long maxChunkBytes;
    int boundedFetchSize;
    int plainFetchSize;
    /** Wait while {@link InFlight#JVM} holds too much: on runners that queue between steps. */
    boolean backpressure;
    double maxRowsPerSecond;
    String throttleName;
    boolean zeroDatesAsNull;
    int maxAttempts;
    /** Read with COPY … TO STDOUT and emit COPY text; see {@link ReadRanges#withCopyText}. */
    boolean copyText;
    /**
     * Whether a call returns to the runner after a while (64 chunks, {@code maxChunkBytes} or
     * half a second), for the runner to take its output; false when each chunk is written
     * before the next is read ({@link ReadRangesInto}), which holds nothing to hand over.
     */
    boolean yieldToRunner = true;
  }

  private final Settings s;

  /**
   * Bytes of large values being fetched at once in this JVM: a quarter of the heap, at least
   * 64 MiB. A fetch larger than that still goes ahead when nothing else is being fetched.
   */
  static final ByteGate LARGE_VALUE_GATE = new ByteGate(
      Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4));

  /** Admits byte amounts up to a capacity; one amount of any size when the gate is empty. */
  static final class ByteGate {
    private final long capacity;
    private long inUse;

    ByteGate(long capacity) {
      this.capacity = capacity;
    }

    synchronized void acquire(long bytes) throws InterruptedException {
      while (inUse > 0 && inUse + bytes > capacity) {
        wait();
      }
      inUse += bytes;
    }

    synchronized void release(long bytes) {
      inUse -= bytes;
      notifyAll();
    }
  }

  private final Counter rowsRead = Metrics.counter(ReadRanges.class, "rowsRead");
  private final Counter rowsRejected = Metrics.counter(ReadRanges.class, "rowsRejectedOnRead");
  private final Counter zeroDatesNulled = Metrics.counter(ReadRanges.class, "zeroDatesNulled");
  private final Counter readRetries = Metrics.counter(ReadRanges.class, "readRetries");
  private final Counter largeValueRows = Metrics.counter(ReadRanges.class, "largeValueRows");
  private final Counter copyTextRows = Metrics.counter(ReadRanges.class, "rowsReadAsCopyText");

  /** While read chunks waiting for the writer exceed this, readers wait (backpressure). */
  private transient long maxInFlightBytes;
  private static volatile long overBudgetSince;
  private static volatile long lastGcRequest;

  private transient Throttle throttle;
  private transient ColumnReader[] readers;
  private transient Connection connection;
  private transient PreparedStatement lookup;
  /** The bounded and flagged selects for the connected server's version. */
  private transient String boundedSelect;
  private transient String copyFlaggedSelect;
  /** COPY text bytes per row seen by the last COPY call; 0 before the first. */
  private transient double copyBytesPerRow;

  ReadRangeFn(Settings settings) {
    this.s = settings;
  }

  @Setup
  public void setup() {
    throttle = s.maxRowsPerSecond > 0 ? Throttle.shared(s.throttleName, s.maxRowsPerSecond) : null;
    maxInFlightBytes = Math.max(4 * s.maxChunkBytes, Runtime.getRuntime().maxMemory() / 4);
    Dialect dialect = s.endpoint.dialect();
    readers = new ColumnReader[s.layout.size()];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = ColumnReader.forColumn(
          s.layout.column(i).jdbcType(), s.layout.column(i).typeName(), dialect);
    }
  }

  @Teardown
  public void teardown() {
    closeConnection();
  }

  @GetInitialRestriction
  public ReadPosition initialRestriction(@Element RangeTask task) {
    return new ReadPosition(task.committedSeq(), task.afterKey(), ReadPosition.OPEN,
        !task.range().nullKeys());
  }

  @NewTracker
  public ReadPositionTracker newTracker(@Restriction ReadPosition restriction) {
    return new ReadPositionTracker(restriction);
  }

  @GetRestrictionCoder
  public Coder<ReadPosition> restrictionCoder() {
    return SerializableCoder.of(ReadPosition.class);
  }

  /** Position within a range and what this call has done, carried across reconnects. */
  private static final class Cursor {
    long seq;
    Object[] afterKey;
    int claims;
    long bytes;
    long startNanos = System.nanoTime();
    int maxClaims;

    Cursor(int maxClaims) {
      this.maxClaims = maxClaims;
    }

    /** Gives the rest of this call one chunk: it claims exactly one more, then yields. */
    void oneMoreChunk() {
      claims = 0;
      bytes = 0;
      startNanos = System.nanoTime();
      maxClaims = 1;
    }
  }

  /** The rows of the chunk being filled. */
  private static final class Pending {
    final List<Record> rows;
    final List<DeadLetter> rejected = new ArrayList<>();
    long bytes;

    Pending(int chunkSize) {
      rows = new ArrayList<>(Math.min(chunkSize, 4096));
    }

    int count() {
      return rows.size() + rejected.size();
    }
  }

  @ProcessElement
  public ProcessContinuation process(@Element RangeTask task,
      RestrictionTracker<ReadPosition, ReadPosition.Claim> tracker, OutputReceiver<Chunk> out)
      throws Exception {
    return read(task, tracker, out::output);
  }

  /**
   * Reads from the tracker's position on and hands each claimed chunk to {@code out}; returns
   * when the range is done, the runner took a checkpoint, or it is time to yield.
   */
  ProcessContinuation read(RangeTask task,
      RestrictionTracker<ReadPosition, ReadPosition.Claim> tracker, Consumer<Chunk> out)
      throws Exception {
    KeyRange range = task.range();
    ReadPosition start = tracker.currentRestriction();
    Cursor cursor = new Cursor(s.yieldToRunner ? YIELD_AFTER_CHUNKS : Integer.MAX_VALUE);
    cursor.seq = start.startSeq;
    cursor.afterKey = start.startAfterKey == null ? null : KeyCodec.decode(start.startAfterKey);
    Backoff backoff = Backoff.start();
    for (int attempt = 1; ; attempt++) {
      try {
        return readFrom(range, cursor, tracker, out);
      } catch (SQLException e) {
        closeConnection();
        if (!SqlErrors.isTransient(e) || attempt >= s.maxAttempts) {
          throw new SQLException(
              "reading " + s.relationName + " " + range + " from " + s.endpoint + " failed: "
                  + s.endpoint.redact(e.getMessage()),
              e.getSQLState(), e.getErrorCode());
        }
        readRetries.inc();
        if (cursor.claims > 0 && !range.nullKeys()) {
          // Progress was made: hand the rest back to the runner, which retries it as a new call.
          LOG.warn("{} {}: transient error ({}), continuing after the last emitted chunk",
              s.relationName, range, s.endpoint.redact(e.getMessage()));
          return ProcessContinuation.resume().withResumeDelay(
              org.joda.time.Duration.millis(500));
        }
        long backoffMillis = backoff.nextMillis();
        LOG.warn("{} {}: transient error ({}), retrying in {} ms (attempt {}/{})",
            s.relationName, range, s.endpoint.redact(e.getMessage()), backoffMillis, attempt,
            s.maxAttempts);
        Thread.sleep(backoffMillis);
      } catch (RuntimeException e) {
        closeConnection();
        throw e;
      }
    }
  }

  private ProcessContinuation readFrom(KeyRange range, Cursor cursor,
      RestrictionTracker<ReadPosition, ReadPosition.Claim> tracker, Consumer<Chunk> out)
      throws SQLException, InterruptedException {
    return s.copyText && !range.nullKeys() ? readCopyText(range, cursor, tracker, out)
        : readRows(range, cursor, tracker, out);
  }

  /** Reads rows as values, chunk by chunk, until the range ends or it is time to yield. */
  private ProcessContinuation readRows(KeyRange range, Cursor cursor,
      RestrictionTracker<ReadPosition, ReadPosition.Claim> tracker, Consumer<Chunk> out)
      throws SQLException, InterruptedException {
    List<Object> params = new ArrayList<>();
    // NULL keys have no order to resume in, so that range is always read whole, in one call.
    boolean nullKeys = range.nullKeys();
    Object[] after = nullKeys ? null : cursor.afterKey;
    String where = s.rangeSql.where(range, after, params);
    if (s.sincePredicate != null) {
      where = where + " AND " + s.sincePredicate;
      params.add(s.sinceValue);
    }
    // Rows are looked up again by key for their large values, so the key must identify a row.
    boolean bounded = s.boundedSelect != null && !nullKeys;
    Connection c = connection();
    String sql = (bounded ? boundedSelect : s.plainSelect) + " WHERE " + where
        + s.rangeSql.orderBy();
    boolean mysql = s.endpoint.dialect() == Dialect.MYSQL;
    PreparedStatement ps = null;
    ResultSet rs = null;
    boolean done = false;
    try {
      ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      ps.setFetchSize(mysql ? Integer.MIN_VALUE : bounded ? s.boundedFetchSize : s.plainFetchSize);
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      rs = ps.executeQuery();
      Pending pending = new Pending(s.chunkSize);
      Object[] lastKey = null;
      while (true) {
        if (pending.count() == 0 && shouldYield(cursor, nullKeys)) {
          return ProcessContinuation.resume();
        }
        if (pending.count() == 0 && s.backpressure && !nullKeys && overBudget()) {
          // The writer is behind: hand the rest back and come again a little later.
          return cursor.claims > 0 ? ProcessContinuation.resume()
              : ProcessContinuation.resume().withResumeDelay(org.joda.time.Duration.millis(100));
        }
        if (!rs.next()) {
          break;
        }
        Object[] values = new Object[readers.length];
        DeadLetter rejected = readRow(rs, values, bounded);
        if (rejected == null) {
          pending.rows.add(new Record(values));
          pending.bytes += ValueSize.of(values);
        } else {
          pending.rejected.add(rejected);
          pending.bytes += ValueSize.of(rejected);
        }
        lastKey = keyOf(values);
        if (pending.count() >= s.chunkSize || pending.bytes >= s.maxChunkBytes) {
          if (!emit(range, cursor, false, lastKey, pending, tracker, out)) {
            return ProcessContinuation.stop();
          }
          pending = new Pending(s.chunkSize);
        }
      }
      done = true;
      rs.close();
      ps.close();
      c.commit();
      // The last chunk is claimed after the read transaction ended: nothing is left open.
      if (!emit(range, cursor, true, lastKey, pending, tracker, out)) {
        return ProcessContinuation.stop();
      }
      return ProcessContinuation.stop();
    } finally {
      if (!done) {
        abandon(c, mysql, rs, ps);
      }
    }
  }

  /**
   * Stops reading before the end of the result (a yield, a checkpoint taken by the runner, or an
   * error). PostgreSQL: rolling back closes the cursor and the connection is kept. MySQL: closing
   * a streaming result set reads it to its end, so the connection is aborted instead (its socket
   * closed) and a new one is opened next time.
   */
  private void abandon(Connection c, boolean mysql, ResultSet rs, PreparedStatement ps) {
    if (mysql) {
      closeConnection(true);
      return;
    }
    try {
      if (rs != null) {
        rs.close();
      }
      if (ps != null) {
        ps.close();
      }
      c.rollback();
    } catch (SQLException e) {
      closeConnection(false);
    }
  }

  /**
   * Whether chunks read but not yet written hold more than the budget. Chunks that no writer
   * releases are released when collected; if the budget stays exceeded for 2 s, a collection is
   * requested (at most every 2 s) so that such chunks cannot hold the readers up.
   */
  private boolean overBudget() {
    if (InFlight.JVM.bytes() <= maxInFlightBytes) {
      overBudgetSince = 0;
      return false;
    }
    long now = System.nanoTime();
    if (overBudgetSince == 0) {
      overBudgetSince = now;
    } else if (now - overBudgetSince > 2_000_000_000L && now - lastGcRequest > 2_000_000_000L) {
      lastGcRequest = now;
      System.gc();
    }
    return true;
  }

  private boolean shouldYield(Cursor cursor, boolean nullKeys) {
    if (nullKeys || cursor.claims == 0) {
      return false;
    }
    if (cursor.claims >= cursor.maxClaims) {
      return true;
    }
    if (!s.yieldToRunner) {
      return false;
    }
    if (cursor.bytes >= s.maxChunkBytes
        || System.nanoTime() - cursor.startNanos >= YIELD_AFTER_NANOS) {
      return true;
    }
    return throttle != null && throttle.waitNanos(s.chunkSize) > THROTTLE_YIELD_NANOS;
  }

  /**
   * Fills {@code values}; returns null, or the dead letter when a value cannot be represented.
   * With {@code bounded}, values longer than the large-value threshold arrive as NULL with their
   * length, and are fetched again by key, one row at a time.
   */
  private DeadLetter readRow(ResultSet rs, Object[] values, boolean bounded)
      throws SQLException, InterruptedException {
    Problem problem = new Problem();
    for (int i = 0; i < readers.length; i++) {
      values[i] = read(rs, i + 1, i, problem);
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
        LARGE_VALUE_GATE.acquire(cost);
        try {
          fetchLargeValues(values, problem);
        } finally {
          LARGE_VALUE_GATE.release(cost);
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

  private Object read(ResultSet rs, int position, int column, Problem problem)
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
    if (lookup == null) {
      lookup = connection.prepareStatement(s.lookup);
      // -1: binary transfer from the first execution; 0: never (text, as the cursor reads).
      lookup.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(
          s.binaryLookup ? -1 : 0);
    }
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
        values[s.largeColumns[k]] = read(rs, k + 1, s.largeColumns[k], problem);
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

  private Object[] keyOf(Object[] values) {
    Object[] key = new Object[s.keyIndexes.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = values[s.keyIndexes[i]];
    }
    return key;
  }

  /** Claims and outputs the chunk; false when the runner took a checkpoint before it. */
  private boolean emit(
      KeyRange range, Cursor cursor, boolean last, Object[] lastKey, Pending pending,
      RestrictionTracker<ReadPosition, ReadPosition.Claim> tracker, Consumer<Chunk> out)
      throws InterruptedException {
    return claimAndOutput(range, cursor, last, lastKey, pending.count(), pending.bytes, tracker,
        out, (seq, key) -> new Chunk(range.index(), seq, last, key, pending.count(),
            pending.rows, null, pending.rejected));
  }

  /** Builds the chunk of sequence number {@code seq} whose encoded last key is {@code key}. */
  @FunctionalInterface
  private interface ChunkFactory {
    Chunk create(long seq, String key);
  }

  private boolean claimAndOutput(KeyRange range, Cursor cursor, boolean last, Object[] lastKey,
      long rows, long bytes, RestrictionTracker<ReadPosition, ReadPosition.Claim> tracker,
      Consumer<Chunk> out, ChunkFactory chunk) throws InterruptedException {
    if (throttle != null && rows > 0) {
      throttle.acquire(rows);
    }
    String lastKeyText = range.nullKeys() || lastKey == null ? null : KeyCodec.encode(lastKey);
    if (!tracker.tryClaim(new ReadPosition.Claim(cursor.seq + 1, lastKeyText, last))) {
      return false;
    }
    cursor.seq++;
    Chunk c = chunk.create(cursor.seq, lastKeyText);
    out.accept(s.backpressure ? c.tracked(InFlight.JVM, bytes) : c);
    rowsRead.inc(rows);
    cursor.claims++;
    cursor.bytes += bytes;
    if (lastKey != null) {
      cursor.afterKey = lastKey;
    }
    return true;
  }

  /**
   * Reads the range with {@code COPY (SELECT …) TO STDOUT} and emits the rows as COPY text. A
   * COPY cannot pause, so each call asks for a bounded number of rows (LIMIT, from the bytes per
   * row seen so far) and the next call goes on after the last key emitted. A call that must end
   * early (the runner took a checkpoint, or rows are much larger than expected) drops the
   * connection, which ends the COPY on the server at once. A row flagged as holding a large
   * value ends the COPY too: this call then reads one chunk from it on as values, whose large
   * values are fetched one at a time ({@link #readRows}), and the next call goes back to COPY.
   */
  private ProcessContinuation readCopyText(KeyRange range, Cursor cursor,
      RestrictionTracker<ReadPosition, ReadPosition.Claim> tracker, Consumer<Chunk> out)
      throws SQLException, InterruptedException {
    if (s.backpressure && overBudget()) {
      return ProcessContinuation.resume().withResumeDelay(org.joda.time.Duration.millis(100));
    }
    boolean flagged = s.copyFlaggedSelect != null;
    long limit = copyRowsPerCall();
    Connection c = connection();
    String sql = "COPY (" + (flagged ? copyFlaggedSelect : s.plainSelect) + " WHERE "
        + s.rangeSql.whereLiteral(range, cursor.afterKey) + s.rangeSql.orderBy() + " LIMIT "
        + limit + ") TO STDOUT";
    CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
    CopyChunk pending = new CopyChunk();
    long rows = 0;
    long callBytes = 0;
    boolean complete = false;
    boolean largeRow = false;
    try {
      byte[] row;
      while ((row = copy.readFromCopy()) != null) {
        int end = row.length > 0 && row[row.length - 1] == '\n' ? row.length - 1 : row.length;
        if (flagged) {
          largeRow = row[end - 1] == 't';
          end -= 2; // the flag and the tab before it
          if (largeRow) {
            break;
          }
        }
        rows++;
        callBytes += row.length;
        pending.add(row, end);
        if (pending.rows >= s.chunkSize || pending.bytes() >= s.maxChunkBytes) {
          if (!emitCopy(range, cursor, false, pending, tracker, out)) {
            return ProcessContinuation.stop();
          }
          pending = new CopyChunk();
          if (callBytes >= 2 * s.maxChunkBytes) {
            copyBytesPerRow = (double) callBytes / rows;
            return ProcessContinuation.resume();
          }
        }
      }
      complete = !largeRow;
    } finally {
      if (!complete) {
        closeConnection(true);
      }
    }
    if (rows > 0) {
      copyBytesPerRow = (double) callBytes / rows;
    }
    if (largeRow) {
      if (pending.rows > 0 && !emitCopy(range, cursor, false, pending, tracker, out)) {
        return ProcessContinuation.stop();
      }
      cursor.oneMoreChunk();
      return readRows(range, cursor, tracker, out);
    }
    c.commit();
    boolean last = rows < limit;
    if ((last || pending.rows > 0) && !emitCopy(range, cursor, last, pending, tracker, out)) {
      return ProcessContinuation.stop();
    }
    return last ? ProcessContinuation.stop() : ProcessContinuation.resume();
  }

  /**
   * Rows for one COPY call: about one chunk budget of bytes at the bytes per row seen so far (as
   * much as a call of the row reader yields after), at most {@value #YIELD_AFTER_CHUNKS} chunks,
   * and no more than half a second's worth under a throttle. A call whose rows pass twice the
   * budget ends early (see {@link #readCopyText}).
   */
  private long copyRowsPerCall() {
    long rows = (long) s.chunkSize * YIELD_AFTER_CHUNKS;
    if (copyBytesPerRow > 0) {
      rows = Math.min(rows, (long) (s.maxChunkBytes / copyBytesPerRow));
    }
    if (throttle != null) {
      rows = Math.min(rows, (long) (s.maxRowsPerSecond / 2));
    }
    return Math.max(1, rows);
  }

  /** COPY text rows gathered for one chunk. */
  private static final class CopyChunk {
    final java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream(1 << 16);
    byte[] lastRow;
    int rows;

    /** Adds the row's first {@code end} bytes (its columns, without any flag) as a line. */
    void add(byte[] row, int end) {
      text.write(row, 0, end);
      text.write('\n');
      lastRow = row;
      rows++;
    }

    long bytes() {
      return text.size();
    }
  }

  private boolean emitCopy(KeyRange range, Cursor cursor, boolean last, CopyChunk pending,
      RestrictionTracker<ReadPosition, ReadPosition.Claim> tracker, Consumer<Chunk> out)
      throws InterruptedException {
    Object[] lastKey = pending.lastRow == null ? null : copyKey(pending.lastRow);
    CopyTextRows rows = new CopyTextRows(pending.text.toByteArray(), pending.rows);
    // The text is about as large in memory as on the wire, unlike parsed rows.
    boolean claimed = claimAndOutput(range, cursor, last, lastKey, pending.rows,
        rows.text().length, tracker, out,
        (seq, key) -> Chunk.ofCopyText(range.index(), seq, last, key, rows));
    if (claimed) {
      copyTextRows.inc(pending.rows);
    }
    return claimed;
  }

  /** The key of a COPY text row, as the row reader would have read it. */
  private Object[] copyKey(byte[] row) {
    return CopyTextRows.key(row, s.layout, s.keyIndexes);
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = s.endpoint.connect(JdbcEndpoint.Role.SOURCE);
      try {
        c.setReadOnly(true);
        if (s.copyText) {
          // COPY prints values in the session's styles: pin the ones that vary by server
          // configuration to forms every PostgreSQL parses back to the same value. Set outside
          // any transaction, so that no rollback undoes them.
          try (java.sql.Statement st = c.createStatement()) {
            st.execute("SET DateStyle = ISO; SET IntervalStyle = postgres;"
                + " SET bytea_output = hex; SET extra_float_digits = 3");
          }
        }
        c.setAutoCommit(false);
        if (s.boundedSelect != null) {
          // Large values are read again by key: the same snapshot must answer both queries.
          c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
          boolean legacy = s.legacyBoundedSelect != null
              && c.getMetaData().getDatabaseMajorVersion() < 14;
          boundedSelect = legacy ? s.legacyBoundedSelect : s.boundedSelect;
          copyFlaggedSelect = legacy ? s.legacyCopyFlaggedSelect : s.copyFlaggedSelect;
        }
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  private void closeConnection() {
    closeConnection(false);
  }

  private void closeConnection(boolean abort) {
    lookup = null;
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        if (abort) {
          c.abort(Runnable::run);
        } else {
          c.close();
        }
      } catch (SQLException | RuntimeException ignored) {
        // broken already; a new one is opened when needed
      }
    }
  }
}
