package dev.ferry.read;

import dev.ferry.plan.KeyRange;
import dev.ferry.read.ReadRangeFn.Cursor;
import dev.ferry.record.Chunk;
import dev.ferry.record.CopyTextRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn.ProcessContinuation;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * A range read as PostgreSQL COPY text ({@link ReadRanges#withCopyText}): the rows stay in the
 * text the server printed, for a PostgreSQL target to read back with COPY.
 */
final class CopyTextRead {
  private final Counter copyTextRows = Metrics.counter(ReadRanges.class, "rowsReadAsCopyText");
  private final ReadRangeFn reader;
  private final ReadSettings s;
  private final SourceConnection source;
  private final Throttle throttle;
  private final long maxInFlightBytes;
  /** COPY text bytes per row seen by the last COPY call; 0 before the first. */
  private double copyBytesPerRow;

  CopyTextRead(ReadRangeFn reader, ReadSettings settings, SourceConnection source,
      Throttle throttle, long maxInFlightBytes) {
    this.reader = reader;
    this.s = settings;
    this.source = source;
    this.throttle = throttle;
    this.maxInFlightBytes = maxInFlightBytes;
  }

  /**
   * Reads the range with {@code COPY (SELECT …) TO STDOUT} and emits the rows as COPY text. A
   * COPY cannot pause, so each call asks for a bounded number of rows (LIMIT, from the bytes per
   * row seen so far) and the next call goes on after the last key emitted. A call that must end
   * early (the runner took a checkpoint, or rows are much larger than expected) drops the
   * connection, which ends the COPY on the server at once. A row flagged as holding a large
   * value ends the COPY too: this call then reads one chunk from it on as values, whose large
   * values are fetched one at a time ({@link ReadRangeFn#readRows}), and the next call goes back to COPY.
   */
  ProcessContinuation read(KeyRange range, Cursor cursor,
      RestrictionTracker<ReadPosition, ReadPosition.Claim> tracker, Consumer<Chunk> out)
      throws SQLException, InterruptedException {
    if (s.backpressure && Backpressure.overBudget(maxInFlightBytes)) {
      return ProcessContinuation.resume().withResumeDelay(org.joda.time.Duration.millis(100));
    }
    boolean flagged = s.copyFlaggedSelect != null;
    long limit = copyRowsPerCall();
    Connection c = source.get();
    String sql = "COPY (" + (flagged ? source.copyFlaggedSelect() : s.plainSelect) + " WHERE "
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
        source.close(true);
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
      return reader.readRows(range, cursor, tracker, out);
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
   * much as a call of the row reader yields after), at most {@value ReadRangeFn#YIELD_AFTER_CHUNKS} chunks,
   * and no more than half a second's worth under a throttle. A call whose rows pass twice the
   * budget ends early (see {@link #read}).
   */
  private long copyRowsPerCall() {
    long rows = (long) s.chunkSize * ReadRangeFn.YIELD_AFTER_CHUNKS;
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
    boolean claimed = reader.claimAndOutput(range, cursor, last, lastKey, pending.rows,
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
}
