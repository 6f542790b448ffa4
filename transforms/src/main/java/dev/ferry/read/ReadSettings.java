package dev.ferry.read;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.plan.RangeSql;
import dev.ferry.record.InFlight;
import dev.ferry.record.Layout;
import java.io.Serializable;

/** What {@link ReadRanges} worked out once, at pipeline construction, for {@link ReadRangeFn}. */
final class ReadSettings implements Serializable {
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
