package dev.ferry.read;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.plan.RangeSql;
import dev.ferry.plan.SourceRelation;
import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkCoder;
import dev.ferry.record.Layout;
import java.util.Objects;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

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
 * resume at 80%. Each range is streamed with a bounded fetch size (PostgreSQL: a cursor inside a
 * read-only transaction; MySQL/MariaDB: the driver's row-streaming mode), so no range is ever
 * held in memory whole. A connection lost mid-range is reopened with backoff and the read goes
 * on after the last key already emitted.
 *
 * <p>The source is only read: connections are read-only and no temporary objects are created.
 */
public final class ReadRanges extends PTransform<PCollection<RangeTask>, PCollection<Chunk>> {
  private final JdbcEndpoint endpoint;
  private final SourceRelation relation;
  private final Layout layout;
  private final int chunkSize;
  private final int fetchSize;
  private final double maxRowsPerSecond;
  private final String throttleName;
  private final boolean zeroDatesAsNull;
  private final String sinceColumn;
  private final Object sinceValue;
  private final int maxAttempts;

  private ReadRanges(Builder b) {
    this.endpoint = b.endpoint;
    this.relation = b.relation;
    this.layout = b.layout;
    this.chunkSize = b.chunkSize;
    this.fetchSize = b.fetchSize;
    this.maxRowsPerSecond = b.maxRowsPerSecond;
    this.throttleName = b.throttleName;
    this.zeroDatesAsNull = b.zeroDatesAsNull;
    this.sinceColumn = b.sinceColumn;
    this.sinceValue = b.sinceValue;
    this.maxAttempts = b.maxAttempts;
  }

  /** Reads the columns of {@code layout} from {@code relation} at {@code endpoint}. */
  public static ReadRanges from(JdbcEndpoint endpoint, SourceRelation relation, Layout layout) {
    Builder b = new Builder();
    b.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    b.relation = Objects.requireNonNull(relation, "relation");
    b.layout = Objects.requireNonNull(layout, "layout");
    for (String key : relation.keyColumns()) {
      layout.indexOf(key);
    }
    return new ReadRanges(b);
  }

  /** Rows per chunk; each chunk becomes one write transaction and one checkpoint. */
  public ReadRanges withChunkSize(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("chunk size must be at least 1, got " + rows);
    }
    Builder b = toBuilder();
    b.chunkSize = rows;
    b.fetchSize = Math.max(rows, 1000);
    return new ReadRanges(b);
  }

  /**
   * Caps the rows read per second by all readers of this transform in one JVM (0: no cap). On a
   * cluster every worker JVM applies the cap on its own.
   */
  public ReadRanges withMaxRowsPerSecond(double rowsPerSecond, String jobName) {
    if (rowsPerSecond < 0) {
      throw new IllegalArgumentException("maxRowsPerSecond must not be negative");
    }
    Builder b = toBuilder();
    b.maxRowsPerSecond = rowsPerSecond;
    b.throttleName = Objects.requireNonNull(jobName, "jobName");
    return new ReadRanges(b);
  }

  /** MySQL zero dates become NULL (counted) instead of dead-lettering their row. */
  public ReadRanges withZeroDatesAsNull(boolean asNull) {
    Builder b = toBuilder();
    b.zeroDatesAsNull = asNull;
    return new ReadRanges(b);
  }

  /** Only rows whose {@code column} is at or after {@code value}: an incremental catch-up. */
  public ReadRanges withSince(String column, Object value) {
    layout.indexOf(column);
    Builder b = toBuilder();
    b.sinceColumn = column;
    b.sinceValue = Objects.requireNonNull(value, "since value");
    return new ReadRanges(b);
  }

  /** How often a range is retried after transient errors (connection loss, restarts). */
  public ReadRanges withMaxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    Builder b = toBuilder();
    b.maxAttempts = attempts;
    return new ReadRanges(b);
  }

  @Override
  public PCollection<Chunk> expand(PCollection<RangeTask> tasks) {
    Dialect dialect = endpoint.dialect();
    RangeSql rangeSql = new RangeSql(dialect, relation.keyColumns());
    String select = "SELECT " + dialect.columnList(layout.names()) + " FROM "
        + relation.fromClause(dialect);
    String since = sinceColumn == null ? null : dialect.quote(sinceColumn) + " >= ?";
    ReadRangeFn fn =
        new ReadRangeFn(
            endpoint, select, rangeSql, since, sinceValue, layout,
            layout.indexesOf(relation.keyColumns()), relation.displayName(), chunkSize, fetchSize,
            maxRowsPerSecond, throttleName, zeroDatesAsNull, maxAttempts);
    return tasks.apply("ReadRange", ParDo.of(fn)).setCoder(ChunkCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("source", endpoint.toString()))
        .add(DisplayData.item("relation", relation.displayName()))
        .add(DisplayData.item("chunkSize", chunkSize))
        .add(DisplayData.item("maxRowsPerSecond", maxRowsPerSecond));
  }

  private Builder toBuilder() {
    Builder b = new Builder();
    b.endpoint = endpoint;
    b.relation = relation;
    b.layout = layout;
    b.chunkSize = chunkSize;
    b.fetchSize = fetchSize;
    b.maxRowsPerSecond = maxRowsPerSecond;
    b.throttleName = throttleName;
    b.zeroDatesAsNull = zeroDatesAsNull;
    b.sinceColumn = sinceColumn;
    b.sinceValue = sinceValue;
    b.maxAttempts = maxAttempts;
    return b;
  }

  private static final class Builder {
    JdbcEndpoint endpoint;
    SourceRelation relation;
    Layout layout;
    int chunkSize = 1000;
    int fetchSize = 1000;
    double maxRowsPerSecond;
    String throttleName = "";
    boolean zeroDatesAsNull;
    String sinceColumn;
    Object sinceValue;
    int maxAttempts = 8;
  }
}
