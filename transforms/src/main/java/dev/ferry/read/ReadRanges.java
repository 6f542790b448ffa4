package dev.ferry.read;

import com.google.auto.value.AutoValue;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.plan.RangeSql;
import dev.ferry.plan.SourceRelation;
import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkCoder;
import dev.ferry.record.ChunkSink;
import dev.ferry.record.CopyTextRows;
import dev.ferry.record.Layout;
import java.util.Objects;
import java.util.Optional;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Reads planned key ranges from a JDBC source as {@link Chunk}s of consecutive rows in key order.
 *
 * <pre>{@code
 * PCollection<Chunk> chunks = tasks.apply("Read",
 *     ReadRanges.from(endpoint, relation, layout).withChunkSize(1000).withMaxRowsPerSecond(5000));
 * }</pre>
 *
 * <p>Why not {@code JdbcIO.readAll()}: it emits rows one by one and cannot tell a downstream
 * writer where a range ends, so no writer could record "range r is complete up to key k" in the
 * same transaction as the rows. Reading chunks with their checkpoint makes a run killed at 80%
 * resume at 80%. A connection lost mid-range is reopened with backoff and the read goes on after
 * the last key already emitted.
 *
 * <p><b>Memory.</b> A chunk ends after {@code withChunkSize} rows or once its rows take about
 * {@code withMaxChunkBytes} of heap (default 16 MiB, estimated from the values' sizes), whichever
 * comes first; a single row larger than the budget is a chunk of its own. Each range is streamed,
 * never held whole: MySQL/MariaDB rows arrive one at a time (the driver's streaming mode);
 * PostgreSQL rows arrive through a cursor whose fetch size is derived from the byte budget, and
 * any text, binary, JSON or other variable-length value longer than a threshold (16 KiB to 1 MiB,
 * from the budget) is left out of the cursor and fetched on its own by key in the same
 * snapshot, so the driver never buffers more than about one budget plus one row. The reader
 * itself is a splittable DoFn that returns control to the runner every half second, 64 chunks or
 * one byte budget of output (see {@link ReadRangeFn}); on the DirectRunner, which holds a call's
 * whole output in memory and queues it for the next step without limit, the readers also wait
 * while the chunks they emitted and the writer has not yet committed hold more than a quarter of
 * the heap ({@link dev.ferry.record.InFlight}).
 *
 * <p>The source is only read: connections are read-only and no temporary objects are created.
 */
@AutoValue
public abstract class ReadRanges extends PTransform<PCollection<RangeTask>, PCollection<Chunk>> {
  /**
   * Default byte budget of a chunk: 16 MiB. Runners hold about two budgets per worker thread
   * (the chunk being read and the one being written), and the DirectRunner used by the ferry
   * command runs 8 threads, so 16 MiB keeps that near 256 MiB of a 1 GiB heap.
   */
  public static final long DEFAULT_MAX_CHUNK_BYTES = 16L << 20;
  /** PostgreSQL values longer than this (at the least) are fetched one row at a time. */
  static final long MIN_LARGE_VALUE_BYTES = 16L << 10;
  static final long MAX_LARGE_VALUE_BYTES = 1L << 20;
  abstract JdbcEndpoint endpoint();

  abstract SourceRelation relation();

  abstract Layout layout();

  abstract int chunkSize();

  /** Rows a JDBC fetch asks for: the chunk size, at least 1000. */
  abstract int fetchSize();

  abstract long maxChunkBytes();

  abstract double maxRowsPerSecond();

  /** Readers with the same name share one throttle. */
  abstract String throttleName();

  abstract boolean zeroDatesAsNull();

  abstract Optional<String> sinceColumn();

  abstract Optional<Object> sinceValue();

  abstract int maxAttempts();

  abstract boolean copyText();

  abstract boolean backpressure();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setEndpoint(JdbcEndpoint value);

    abstract Builder setRelation(SourceRelation value);

    abstract Builder setLayout(Layout value);

    abstract Builder setChunkSize(int value);

    abstract Builder setFetchSize(int value);

    abstract Builder setMaxChunkBytes(long value);

    abstract Builder setMaxRowsPerSecond(double value);

    abstract Builder setThrottleName(String value);

    abstract Builder setZeroDatesAsNull(boolean value);

    abstract Builder setSinceColumn(String value);

    abstract Builder setSinceValue(Object value);

    abstract Builder setMaxAttempts(int value);

    abstract Builder setCopyText(boolean value);

    abstract Builder setBackpressure(boolean value);

    abstract ReadRanges build();
  }

  /** Reads the columns of {@code layout} from {@code relation} at {@code endpoint}. */
  public static ReadRanges from(JdbcEndpoint endpoint, SourceRelation relation, Layout layout) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(relation, "relation");
    Objects.requireNonNull(layout, "layout");
    for (String key : relation.keyColumns()) {
      layout.indexOf(key);
    }
    return new AutoValue_ReadRanges.Builder()
        .setEndpoint(endpoint)
        .setRelation(relation)
        .setLayout(layout)
        .setChunkSize(1000)
        .setFetchSize(1000)
        .setMaxChunkBytes(DEFAULT_MAX_CHUNK_BYTES)
        .setMaxRowsPerSecond(0)
        .setThrottleName("")
        .setZeroDatesAsNull(false)
        .setMaxAttempts(8)
        .setCopyText(false)
        .setBackpressure(false)
        .build();
  }

  /** Rows per chunk; each chunk becomes one write transaction and one checkpoint. */
  public ReadRanges withChunkSize(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("chunk size must be at least 1, got " + rows);
    }
    return toBuilder().setChunkSize(rows).setFetchSize(Math.max(rows, 1000)).build();
  }

  /**
   * Ends a chunk once its rows take about this many bytes of heap, before {@code chunkSize} rows
   * when rows are large (default {@value #DEFAULT_MAX_CHUNK_BYTES}, at least 64 KiB). It also
   * bounds the PostgreSQL driver's row buffer; see the class documentation.
   */
  public ReadRanges withMaxChunkBytes(long bytes) {
    if (bytes < 65_536) {
      throw new IllegalArgumentException("maxChunkBytes must be at least 65536, got " + bytes);
    }
    return toBuilder().setMaxChunkBytes(bytes).build();
  }

  /**
   * Caps the rows read per second by all readers of this transform in one JVM (0: no cap). On a
   * cluster every worker JVM applies the cap on its own.
   */
  public ReadRanges withMaxRowsPerSecond(double rowsPerSecond, String jobName) {
    if (rowsPerSecond < 0) {
      throw new IllegalArgumentException("maxRowsPerSecond must not be negative");
    }
    return toBuilder().setMaxRowsPerSecond(rowsPerSecond)
        .setThrottleName(Objects.requireNonNull(jobName, "jobName")).build();
  }

  /** MySQL zero dates become NULL (counted) instead of dead-lettering their row. */
  public ReadRanges withZeroDatesAsNull(boolean asNull) {
    return toBuilder().setZeroDatesAsNull(asNull).build();
  }

  /** Only rows whose {@code column} is at or after {@code value}: an incremental catch-up. */
  public ReadRanges withSince(String column, Object value) {
    layout().indexOf(column);
    return toBuilder().setSinceColumn(column)
        .setSinceValue(Objects.requireNonNull(value, "since value")).build();
  }

  /** How often a range is retried after transient errors (connection loss, restarts). */
  public ReadRanges withMaxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    return toBuilder().setMaxAttempts(attempts).build();
  }

  /**
   * Readers wait while the chunks read in this JVM and not yet written hold more than a quarter
   * of the heap ({@link dev.ferry.record.InFlight}). For runners that queue each step's output
   * in memory with no limit (the DirectRunner); off by default, since on a runner that hands
   * chunks to other workers nothing in this JVM would release them.
   */
  public ReadRanges withBackpressure(boolean on) {
    return toBuilder().setBackpressure(on).build();
  }

  /**
   * Reads each range with {@code COPY (SELECT …) TO STDOUT} and emits the rows as COPY text
   * ({@link dev.ferry.record.CopyTextRows}), unparsed, for a PostgreSQL target whose columns
   * are the source's own (see {@code dev.ferry.write.CopyPassThrough}). PostgreSQL sources with
   * integer, text or UUID keys only ({@link dev.ferry.record.CopyTextRows#keyFromText}), without
   * {@link #withSince}; the NULL-key range is still read as rows.
   */
  public ReadRanges withCopyText() {
    if (endpoint().dialect() != Dialect.POSTGRESQL) {
      throw new IllegalArgumentException("COPY text reading needs a PostgreSQL source, not "
          + endpoint().dialect());
    }
    Layout layout = layout();
    for (String key : relation().keyColumns()) {
      if (!CopyTextRows.keyFromText(layout.column(layout.indexOf(key)))) {
        throw new IllegalArgumentException("COPY text reading needs integer, text or UUID keys; "
            + relation().displayName() + "." + key + " is " + layout.column(layout.indexOf(key))
                .typeName());
      }
    }
    return toBuilder().setCopyText(true).build();
  }

  /**
   * Reads each range and hands every chunk to {@code sink} (usually mapping, then writing) before
   * reading on, all in one step; see {@link ChunkSink}. Nothing waits between steps, so chunks
   * are not held in memory and a range's reading and writing overlap with other ranges' on any
   * runner. Runners cannot checkpoint inside a range then: the sink's own checkpoints (such as
   * {@code WriteChunks}') are what a restarted job resumes from.
   */
  public PTransform<PCollection<RangeTask>, PDone> into(ChunkSink sink) {
    return new ReadRangesInto(this, Objects.requireNonNull(sink, "sink"));
  }

  @Override
  public PCollection<Chunk> expand(PCollection<RangeTask> tasks) {
    return tasks.apply("ReadRange", ParDo.of(new ReadRangeFn(settings(tasks))))
        .setCoder(ChunkCoder.of());
  }

  /** What the reading DoFn needs, worked out once at pipeline construction. */
  ReadSettings settings(PCollection<RangeTask> tasks) {
    if (copyText() && sinceColumn().isPresent()) {
      throw new IllegalStateException("COPY text reading does not combine with withSince");
    }
    JdbcEndpoint endpoint = endpoint();
    SourceRelation relation = relation();
    Layout layout = layout();
    int fetchSize = fetchSize();
    long maxChunkBytes = maxChunkBytes();
    Dialect dialect = endpoint.dialect();
    ReadSettings s = new ReadSettings();
    s.endpoint = endpoint;
    s.rangeSql = new RangeSql(dialect, relation.keyColumns());
    String from = " FROM " + relation.fromClause(dialect);
    s.plainSelect = "SELECT " + SourceColumns.selectList(dialect, layout) + from;
    s.sincePredicate = sinceColumn().map(c -> dialect.quote(c) + " >= ?").orElse(null);
    s.sinceValue = sinceValue().orElse(null);
    s.layout = layout;
    s.keyIndexes = layout.indexesOf(relation.keyColumns());
    s.relationName = relation.displayName();
    s.chunkSize = chunkSize();
    s.maxChunkBytes = maxChunkBytes;
    s.maxRowsPerSecond = maxRowsPerSecond();
    s.throttleName = throttleName();
    s.zeroDatesAsNull = zeroDatesAsNull();
    s.maxAttempts = maxAttempts();
    s.copyText = copyText();
    s.backpressure = backpressure();
    s.plainFetchSize = fetchSize;
    s.boundedFetchSize = fetchSize;
    if (dialect == Dialect.POSTGRESQL) {
      new PostgresFetchPlan(layout, relation, fetchSize, maxChunkBytes).apply(s, dialect, from);
    }
    return s;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("source", endpoint().toString()))
        .add(DisplayData.item("relation", relation().displayName()))
        .add(DisplayData.item("chunkSize", chunkSize()))
        .add(DisplayData.item("maxChunkBytes", maxChunkBytes()))
        .add(DisplayData.item("maxRowsPerSecond", maxRowsPerSecond()))
        .add(DisplayData.item("copyText", copyText()));
  }
}
