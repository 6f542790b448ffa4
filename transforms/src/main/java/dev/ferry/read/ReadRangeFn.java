package dev.ferry.read;

import dev.ferry.jdbc.ColumnReader;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.SqlErrors;
import dev.ferry.plan.KeyRange;
import dev.ferry.record.Chunk;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.InFlight;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Record;
import dev.ferry.record.ValueSize;
import dev.ferry.retry.Backoff;
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

  private final ReadSettings s;

  private final Counter rowsRead = Metrics.counter(ReadRanges.class, "rowsRead");
  private final Counter readRetries = Metrics.counter(ReadRanges.class, "readRetries");

  /** While read chunks waiting for the writer exceed this, readers wait (backpressure). */
  private transient long maxInFlightBytes;

  private transient Throttle throttle;
  private transient RowValues rows;
  private transient CopyTextRead copyText;
  private transient SourceConnection source;

  ReadRangeFn(ReadSettings settings) {
    this.s = settings;
  }

  @Setup
  public void setup() {
    source = new SourceConnection(s);
    throttle = s.maxRowsPerSecond > 0 ? Throttle.shared(s.throttleName, s.maxRowsPerSecond) : null;
    maxInFlightBytes = Math.max(4 * s.maxChunkBytes, Runtime.getRuntime().maxMemory() / 4);
    ColumnReader[] readers = ColumnReader.forColumns(s.layout.columns(), s.endpoint.dialect());
    rows = new RowValues(s, readers, source);
    copyText = new CopyTextRead(this, s, source, throttle, maxInFlightBytes);
  }

  @Teardown
  public void teardown() {
    source.close();
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
  static final class Cursor {
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
        source.close();
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
        source.close();
        throw e;
      }
    }
  }

  private ProcessContinuation readFrom(KeyRange range, Cursor cursor,
      RestrictionTracker<ReadPosition, ReadPosition.Claim> tracker, Consumer<Chunk> out)
      throws SQLException, InterruptedException {
    return s.copyText && !range.nullKeys() ? copyText.read(range, cursor, tracker, out)
        : readRows(range, cursor, tracker, out);
  }

  /** Reads rows as values, chunk by chunk, until the range ends or it is time to yield. */
  ProcessContinuation readRows(KeyRange range, Cursor cursor,
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
    Connection c = source.get();
    String sql = (bounded ? source.boundedSelect() : s.plainSelect) + " WHERE " + where
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
        if (pending.count() == 0 && s.backpressure && !nullKeys && Backpressure.overBudget(maxInFlightBytes)) {
          // The writer is behind: hand the rest back and come again a little later.
          return cursor.claims > 0 ? ProcessContinuation.resume()
              : ProcessContinuation.resume().withResumeDelay(org.joda.time.Duration.millis(100));
        }
        if (!rs.next()) {
          break;
        }
        Object[] values = new Object[rows.width()];
        DeadLetter rejected = rows.read(rs, values, bounded);
        if (rejected == null) {
          pending.rows.add(new Record(values));
          pending.bytes += ValueSize.of(values);
        } else {
          pending.rejected.add(rejected);
          pending.bytes += ValueSize.of(rejected);
        }
        lastKey = rows.keyOf(values);
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
        source.abandon(mysql, rs, ps);
      }
    }
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
  interface ChunkFactory {
    Chunk create(long seq, String key);
  }

  boolean claimAndOutput(KeyRange range, Cursor cursor, boolean last, Object[] lastKey,
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

}
