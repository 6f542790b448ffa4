package dev.ferry.read;

import dev.ferry.jdbc.Dialect;
import dev.ferry.plan.SourceRelation;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a PostgreSQL read keeps the driver's buffer bounded: the fetch size from the widest row a
 * cursor can return, and values of columns that can be large sent only below a threshold and
 * otherwise fetched again by key ({@link ReadRangeFn}'s large-value path).
 */
record PostgresFetchPlan(Layout layout, SourceRelation relation, int fetchSize,
    long maxChunkBytes) {

  /**
   * Bounds what the PostgreSQL driver buffers: {@code fetchSize} rows of at most {@code
   * rowBytes} each. Columns that can hold large values are sent only when shorter than a
   * threshold and otherwise fetched again by key, so a row's size in the cursor is known.
   */
  void apply(ReadSettings s, Dialect dialect, String from) {
    List<Integer> large = new ArrayList<>();
    long fixedBytes = 0;
    Set<Integer> keys = new HashSet<>();
    for (int k : s.keyIndexes) {
      keys.add(k);
    }
    for (int i = 0; i < layout.size(); i++) {
      long bound = maxBytes(layout.column(i));
      if (bound > ReadRanges.MIN_LARGE_VALUE_BYTES && !keys.contains(i)) {
        large.add(i);
      } else {
        fixedBytes += Math.min(bound, ReadRanges.MAX_LARGE_VALUE_BYTES);
      }
    }
    // The NULL-key range is read whole (no key to look rows up by): assume 1 MiB per large value.
    s.plainFetchSize = fetchSizeFor(fixedBytes + large.size() * ReadRanges.MAX_LARGE_VALUE_BYTES);
    if (large.isEmpty()) {
      s.boundedFetchSize = fetchSizeFor(fixedBytes);
      return;
    }
    long threshold = Math.max(ReadRanges.MIN_LARGE_VALUE_BYTES, Math.min(ReadRanges.MAX_LARGE_VALUE_BYTES,
        maxChunkBytes / ((long) fetchSize * large.size())));
    s.boundedFetchSize = fetchSizeFor(fixedBytes + large.size() * (threshold + 8));
    // Each length is computed once per row, in a lateral subquery that OFFSET 0 keeps from being
    // folded back into (and so repeated by) the select list. For text and bytea the length comes
    // from the value's header, without reading the value; other types are measured as text.
    // Printing every jsonb value only to measure it would cost about half as much again as the
    // read itself: jsonb prints at most 6 bytes per stored byte (a control character takes 6),
    // so on PostgreSQL 14 and later a value stored uncompressed in a sixth of the
    // threshold or less is known to be short unprinted.
    StringBuilder select = new StringBuilder("SELECT ");
    StringBuilder lengthColumns = new StringBuilder();
    StringBuilder lengths = new StringBuilder();
    StringBuilder exactLengths = new StringBuilder();
    StringBuilder lookup = new StringBuilder("SELECT ");
    s.largeColumns = new int[large.size()];
    for (int i = 0; i < layout.size(); i++) {
      Column c = layout.column(i);
      String q = dialect.quote(c.name());
      if (i > 0) {
        select.append(", ");
      }
      int k = large.indexOf(i);
      if (k < 0) {
        select.append(q);
        continue;
      }
      s.largeColumns[k] = i;
      String length = "ferry_length.ferry_length_" + k;
      select.append("CASE WHEN ").append(length).append(" > ").append(threshold)
          .append(" THEN NULL ELSE ").append(q).append(" END");
      lengthColumns.append(", CASE WHEN ").append(length).append(" > ").append(threshold)
          .append(" THEN ").append(length).append(" ELSE 0 END");
      String exact = "octet_length(" + (isTextOrBinary(c) ? q : q + "::text") + ")::int8";
      String estimated = !c.typeName().equals("jsonb") ? exact
          : "CASE WHEN pg_column_compression(" + q + ") IS NULL AND pg_column_size(" + q
              + ") <= " + threshold / 6 + " THEN 0 ELSE " + exact + " END";
      lengths.append(k > 0 ? ", " : "").append(estimated).append(" AS ferry_length_").append(k);
      exactLengths.append(k > 0 ? ", " : "").append(exact).append(" AS ferry_length_").append(k);
      lookup.append(k > 0 ? ", " : "").append(q);
    }
    List<String> isLarge = new ArrayList<>();
    for (int k = 0; k < large.size(); k++) {
      isLarge.add("ferry_length.ferry_length_" + k + " > " + threshold);
    }
    // COPY sends a row as one message, held whole by the driver: a row with a large value
    // arrives with NULL in its place and a final 't', and is read again as values instead.
    String flagged = select + ", coalesce(" + String.join(" OR ", isLarge) + ", false)";
    String bounded = select.append(lengthColumns).toString();
    s.copyFlaggedSelect = flagged + lateral(from, lengths);
    s.boundedSelect = bounded + lateral(from, lengths);
    if (!lengths.toString().equals(exactLengths.toString())) {
      s.legacyCopyFlaggedSelect = flagged + lateral(from, exactLengths);
      s.legacyBoundedSelect = bounded + lateral(from, exactLengths);
    }
    // Binary transfer sends bytea as raw bytes rather than hex text (a third of the memory);
    // it is only asked for when every looked-up column reads the same either way.
    s.binaryLookup = true;
    for (int i : s.largeColumns) {
      s.binaryLookup &= isTextOrBinary(layout.column(i)) || layout.column(i).typeName().equals(
          "json") || layout.column(i).typeName().equals("jsonb");
    }
    List<String> keyTerms = new ArrayList<>();
    for (String key : relation.keyColumns()) {
      keyTerms.add(dialect.quote(key) + " = ?");
    }
    s.lookup = lookup.append(from).append(" WHERE ").append(String.join(" AND ", keyTerms))
        .toString();
  }

  private static String lateral(String from, CharSequence lengths) {
    return from + " CROSS JOIN LATERAL (SELECT " + lengths + " OFFSET 0) AS ferry_length";
  }

  private int fetchSizeFor(long rowBytes) {
    long rows = maxChunkBytes / Math.max(1, rowBytes);
    return (int) Math.max(1, Math.min(fetchSize, rows));
  }

  /** PostgreSQL text and byte types whose length() takes the column as it is. */
  private static boolean isTextOrBinary(Column c) {
    return (c.isText() || c.isBinary()) && PG_LENGTH_TYPES.contains(c.typeName());
  }

  private static final Set<String> PG_LENGTH_TYPES =
      Set.of("text", "varchar", "bpchar", "bytea", "name");

  /** The most bytes a PostgreSQL value of the column can take on the wire (text format). */
  static long maxBytes(Column c) {
    int size = c.size();
    boolean bounded = size > 0 && size < Integer.MAX_VALUE;
    if (c.isText()) {
      return bounded ? 4L * size + 4 : Long.MAX_VALUE;
    }
    if (c.isBinary()) {
      return bounded ? 2L * size + 6 : Long.MAX_VALUE;
    }
    switch (c.jdbcType()) {
      case Types.NUMERIC:
      case Types.DECIMAL:
        // numeric without a declared precision: assumed small (it could hold 131072 digits)
        return bounded && size <= 1000 ? size + 8 : 64;
      case Types.OTHER:
        switch (c.typeName()) {
          case "uuid":
          case "interval":
          case "inet":
          case "cidr":
          case "macaddr":
          case "macaddr8":
          case "money":
            return 64;
          default:
            return Long.MAX_VALUE;
        }
      case Types.ARRAY:
      case Types.SQLXML:
      case Types.STRUCT:
      case Types.JAVA_OBJECT:
      case Types.DISTINCT:
        return Long.MAX_VALUE;
      case Types.BIT:
        return bounded ? size / 8 + 16 : 64;
      default:
        return 64;
    }
  }
}
