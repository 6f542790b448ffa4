package dev.ferry.write;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.jdbc.Savepoints;
import dev.ferry.jdbc.SqlErrors;
import dev.ferry.progress.Checkpoint;
import dev.ferry.progress.CheckpointSequencer;
import dev.ferry.progress.StateTables;
import dev.ferry.record.Chunk;
import dev.ferry.record.ConversionException;
import dev.ferry.record.CopyTextRows;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Record;
import dev.ferry.record.RowJson;
import dev.ferry.record.ValueSize;
import dev.ferry.retry.Backoff;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes one chunk per transaction; see {@link WriteChunks}. */
final class WriteChunkFn extends DoFn<Chunk, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(WriteChunkFn.class);

  private final WriteChunks.WriteConfig config;
  private final Counter rowsWritten = Metrics.counter(WriteChunks.class, "rowsWritten");
  private final Counter rowsDeadLettered = Metrics.counter(WriteChunks.class, "rowsDeadLettered");
  private final Counter chunksCommitted = Metrics.counter(WriteChunks.class, "chunksCommitted");
  private final Counter rangesCompleted = Metrics.counter(WriteChunks.class, "rangesCompleted");
  private final Counter writeRetries = Metrics.counter(WriteChunks.class, "writeRetries");

  private static final int COPY_MIN_ROWS = 64;
  /** Chunks with this much data use COPY however few rows they have: it streams the values. */
  private static final long COPY_MIN_BYTES = 1L << 20;
  private static final String UNIQUE_VIOLATION = "23505";
  private final Counter copyFallbacks = Metrics.counter(WriteChunks.class, "copyFallbacks");

  private transient CheckpointSequencer sequencer;
  private transient JdbcCheckpoints checkpoints;
  private transient Connection connection;
  private transient PostgresCopyUpsert copyUpsert;
  private transient java.util.Set<Integer> rangesWithExistingKeys;
  private transient PreparedStatement upsert;
  private transient DeadLetterBatch deadLetters;
  private transient ValueBinder[] binders;
  /** The statement parameter each column binds. */
  private transient int[] parameters;
  private transient int[] sourceKeyIndexes;
  private transient String upsertSql;
  private transient StateTables state;
  /** MySQL: the largest statement the server accepts (max_allowed_packet); 0 elsewhere. */
  private transient long maxStatementBytes;

  WriteChunkFn(WriteChunks.WriteConfig config) {
    this.config = config;
  }

  @Setup
  public void setup() {
    Dialect dialect = config.endpoint.dialect();
    binders = new ValueBinder[config.table.columns().size()];
    for (int i = 0; i < binders.length; i++) {
      binders[i] = ValueBinder.forColumn(config.table.columns().column(i), dialect);
    }
    sourceKeyIndexes = config.sourceLayout.indexesOf(config.sourceKeyColumns);
    upsertSql = config.statement.sql(dialect, config.table);
    parameters = config.statement.parameters(config.table);
    state = new StateTables(dialect, config.stateSchema);
    rangesWithExistingKeys = new java.util.HashSet<>();
    sequencer = new CheckpointSequencer(config.job, config.fingerprint, config.runId);
  }

  @ProcessElement
  public void process(@Element Chunk chunk) throws Exception {
    if (chunk.target() == null) {
      throw new IllegalStateException("chunks must be mapped before they are written");
    }
    Backoff backoff = Backoff.start();
    for (int attempt = 1; ; attempt++) {
      try {
        writeInOneTransaction(chunk);
        chunk.release();
        return;
      } catch (SQLException e) {
        closeQuietly();
        if (!SqlErrors.isTransient(e) || attempt >= config.maxAttempts) {
          throw new SQLException("writing to " + config.table.displayName() + " at "
              + config.endpoint + " failed (range " + chunk.range() + ", chunk " + chunk.seq()
              + "): " + config.endpoint.redact(SqlErrors.message(e)), e.getSQLState(),
              e.getErrorCode());
        }
        writeRetries.inc();
        long backoffMillis = backoff.nextMillis();
        LOG.warn("{}: transient error ({}), retrying chunk in {} ms (attempt {}/{})",
            config.table.displayName(), config.endpoint.redact(SqlErrors.message(e)),
            backoffMillis, attempt, config.maxAttempts);
        Thread.sleep(backoffMillis);
      }
    }
  }

  private void writeInOneTransaction(Chunk chunk) throws SQLException {
    ensureConnection();
    try {
      List<DeadLetter> dead = new ArrayList<>(chunk.rejected());
      long written = chunk.copyText() != null
          ? writeCopyText(chunk.range(), chunk.copyText(), dead)
          : writeRows(chunk, dead);
      deadLetters.write(dead);
      Checkpoint mine = Checkpoint.of(chunk, written, dead.size());
      boolean advanced = checkpoints.advanceInTransaction(mine);
      connection.commit();
      rowsWritten.inc(written);
      rowsDeadLettered.inc(dead.size());
      chunksCommitted.inc();
      if (advanced && chunk.last()) {
        rangesCompleted.inc();
      }
      if (!advanced) {
        sequencer.park(mine);
      }
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is discarded by the caller on any SQLException
      }
      throw e;
    }
    rangesCompleted.inc(sequencer.applyWaiting(chunk.range(), checkpoints));
  }

  /** Converts and writes a chunk's mapped rows; returns how many were written. */
  private long writeRows(Chunk chunk, List<DeadLetter> dead) throws SQLException {
    List<Object[]> bound = new ArrayList<>(chunk.target().size());
    List<Record> boundSource = new ArrayList<>(chunk.target().size());
    long bytes = 0;
    for (int r = 0; r < chunk.target().size(); r++) {
      Object[] converted = convert(chunk.target().get(r), chunk.source().get(r), dead);
      if (converted != null) {
        bound.add(converted);
        boundSource.add(chunk.source().get(r));
        bytes += ValueSize.of(converted);
      }
    }
    return bound.size() - write(chunk.range(), bound, boundSource, dead, bytes);
  }

  /**
   * Writes rows that arrived as COPY text (a PostgreSQL source with the target's own columns) by
   * COPY ({@link #copyOrIsolate}). When the target rejects the chunk (a constraint the source
   * does not have), its rows are written again row-isolating, each value sent as text for the
   * server to read as its column's type, so only the rejected rows are dead-lettered, with the
   * server's reason.
   */
  private long writeCopyText(int range, CopyTextRows rows, List<DeadLetter> dead)
      throws SQLException {
    if (copyUpsert == null) {
      throw new IllegalStateException("rows in COPY text need a PostgreSQL target and upserts");
    }
    if (rows.rows() == 0) {
      return 0;
    }
    return rows.rows() - copyOrIsolate(range, () -> copyUpsert.insert(rows),
        () -> copyUpsert.upsert(rows), () -> {
          List<Object[]> values = new ArrayList<>(rows.rows());
          List<Record> sources = new ArrayList<>(rows.rows());
          for (String[] text : rows.values(binders.length)) {
            Object[] row = java.util.Arrays.copyOf(text, text.length, Object[].class);
            for (int k : sourceKeyIndexes) {
              row[k] = Long.valueOf(text[k]);
            }
            values.add(row);
            sources.add(new Record(row));
          }
          return writeIsolating(values, sources, 0, values.size(), dead, true);
        });
  }

  private Object[] convert(Record mapped, Record source, List<DeadLetter> dead) {
    Object[] out = new Object[binders.length];
    for (int i = 0; i < binders.length; i++) {
      try {
        out[i] = binders[i].convert(mapped.get(i));
      } catch (ConversionException e) {
        dead.add(deadLetter(source, binders[i].column(), "target " + config.table.displayName()
            + ", " + binders[i].failure(e)));
        return null;
      }
    }
    // Text takes at most 6 bytes per character in the statement (UTF-8, escaped), and ValueSize
    // counts 2 per character: only rows that might not fit are measured exactly.
    if (maxStatementBytes > 0 && 3 * ValueSize.of(out) > maxStatementBytes - 8192) {
      long needed = MySqlPacket.statementBytes(out);
      if (needed > maxStatementBytes) {
        dead.add(deadLetter(source, null, "target " + config.table.displayName() + ": the row"
            + " needs about " + needed + " bytes in one statement, more than the server's"
            + " max_allowed_packet (" + maxStatementBytes + ")"));
        return null;
      }
    }
    return out;
  }

  /**
   * Writes converted rows. On PostgreSQL, with chunks large enough for it to pay off, by COPY
   * ({@link #copyOrIsolate}); otherwise batched upserts that isolate the rejected rows.
   */
  private int write(int range, List<Object[]> rows, List<Record> sources, List<DeadLetter> dead,
      long bytes) throws SQLException {
    RejectedCount isolate = () -> writeIsolating(rows, sources, 0, rows.size(), dead, false);
    if (copyUpsert != null && (rows.size() >= COPY_MIN_ROWS || bytes >= COPY_MIN_BYTES)) {
      return copyOrIsolate(range, () -> copyUpsert.insert(rows), () -> copyUpsert.upsert(rows),
          isolate);
    }
    return isolate.write();
  }

  /** A write that returns how many rows the target rejected. */
  @FunctionalInterface
  private interface RejectedCount {
    int write() throws SQLException;
  }

  /**
   * COPY straight into the target while the range has met no existing key (a fresh load), else
   * COPY into staging and upsert; when a chunk holds a row the target rejects, {@code isolate}
   * writes it again row by row. Returns how many rows were rejected.
   */
  private int copyOrIsolate(int range, Savepoints.Action insert, Savepoints.Action upsert,
      RejectedCount isolate) throws SQLException {
    if (!rangesWithExistingKeys.contains(range)) {
      SQLException rejected = underSavepoint(insert);
      if (rejected == null) {
        return 0;
      }
      if (UNIQUE_VIOLATION.equals(rejected.getSQLState())) {
        // A key exists already (a re-run, or rows written before): upsert from now on.
        rangesWithExistingKeys.add(range);
      }
    }
    if (rangesWithExistingKeys.contains(range) && underSavepoint(upsert) == null) {
      return 0;
    }
    copyFallbacks.inc();
    return isolate.write();
  }

  /**
   * Runs {@code action} under a savepoint ({@link Savepoints#attempt}). Returns null when it
   * succeeded, or the data error it rolled back to the savepoint; any other error is thrown.
   */
  private SQLException underSavepoint(Savepoints.Action action) throws SQLException {
    return Savepoints.attempt(connection, action, SqlErrors::isDataError);
  }

  /**
   * Upserts rows [from, to) under a savepoint; on a data error rolls back and splits, so only the
   * rejected rows are dead-lettered. Returns how many rows were rejected. With {@code asText}
   * the values are text (or Long keys) of no declared type, for the server to convert.
   */
  private int writeIsolating(List<Object[]> rows, List<Record> sources, int from, int to,
      List<DeadLetter> dead, boolean asText) throws SQLException {
    if (from >= to) {
      return 0;
    }
    SQLException rejected = underSavepoint(() -> {
      try {
        for (int r = from; r < to; r++) {
          Object[] row = rows.get(r);
          for (int i = 0; i < row.length; i++) {
            if (asText) {
              upsert.setObject(parameters[i], row[i], java.sql.Types.OTHER);
            } else {
              binders[i].bind(upsert, parameters[i], row[i]);
            }
          }
          upsert.addBatch();
        }
        upsert.executeBatch();
      } catch (SQLException e) {
        upsert.clearBatch();
        throw e;
      }
    });
    if (rejected == null) {
      return 0;
    }
    if (to - from == 1) {
      dead.add(deadLetter(sources.get(from), null, "target " + config.table.displayName()
          + " rejected the row: " + SqlErrors.message(rejected)));
      return 1;
    }
    int mid = (from + to) >>> 1;
    return writeIsolating(rows, sources, from, mid, dead, asText)
        + writeIsolating(rows, sources, mid, to, dead, asText);
  }

  private DeadLetter deadLetter(Record source, String column, String error) {
    Object[] key = new Object[sourceKeyIndexes.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = source.get(sourceKeyIndexes[i]);
    }
    return new DeadLetter(KeyCodec.readable(config.sourceKeyColumns, key), DeadLetter.Stage.WRITE,
        column, error, RowJson.render(config.sourceLayout, source.values()));
  }

  private void ensureConnection() throws SQLException {
    if (connection != null) {
      return;
    }
    connection = config.endpoint.connect(JdbcEndpoint.Role.TARGET);
    connection.setAutoCommit(false);
    upsert = connection.prepareStatement(upsertSql);
    checkpoints = new JdbcCheckpoints(connection, state, config.job, config.fingerprint);
    deadLetters = new DeadLetterBatch(connection.prepareStatement(state.upsertDeadLetter()),
        config.job, config.fingerprint, config.runId);
    if (config.endpoint.dialect() == Dialect.POSTGRESQL) {
      if (config.statement.insertsRows()) {
        copyUpsert = PostgresCopyUpsert.open(connection, config.table);
        connection.commit();
      }
    } else {
      maxStatementBytes = MySqlPacket.maxAllowed(connection);
    }
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already broken; a new connection is opened on the next attempt
      }
    }
    connection = null;
    copyUpsert = null;
    checkpoints = null;
  }

  @Teardown
  public void teardown() {
    closeQuietly();
  }
}
