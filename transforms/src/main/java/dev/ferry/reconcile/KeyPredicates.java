package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.jdbc.ColumnKinds;
import dev.ferry.jdbc.Dialect;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.RowComparison;
import dev.ferry.record.Column;
import dev.ferry.record.ConversionException;
import dev.ferry.record.Conversions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * WHERE clauses on one side's key: key ranges, key lists and value buckets. Character key
 * columns are compared in binary (code point) order on both engines — PostgreSQL {@code COLLATE
 * "C"}, MySQL as utf8mb4 bytes — because a range planned on one engine must hold the same keys on
 * the other, and the engines' default collations disagree (case, accents, trailing spaces).
 * Range bounds are converted to this side's key types first, as the backfill converted the keys.
 */
final class KeyPredicates implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Dialect dialect;
  private final List<Column> keys;

  KeyPredicates(Dialect dialect, List<Column> keyColumns) {
    this.dialect = dialect;
    this.keys = List.copyOf(keyColumns);
  }

  List<Column> columns() {
    return keys;
  }

  private String ordered(Column c) {
    String q = dialect.quote(c.name());
    if (!c.isText()) {
      return q;
    }
    return dialect == Dialect.POSTGRESQL ? q + " COLLATE \"C\""
        : "CAST(CONVERT(" + q + " USING utf8mb4) AS BINARY)";
  }

  /** The key columns in the binary order of {@link #range}. */
  private List<String> orderedColumns() {
    List<String> parts = new ArrayList<>();
    for (Column c : keys) {
      parts.add(ordered(c));
    }
    return parts;
  }

  private String tuple() {
    String columns = String.join(", ", orderedColumns());
    return keys.size() == 1 ? columns : "(" + columns + ")";
  }

  /** The key columns for ORDER BY, in the binary order of {@link #range}. */
  String orderBy() {
    return String.join(", ", orderedColumns());
  }

  private String placeholders() {
    return keys.size() == 1 ? "?" : "(" + String.join(", ", Collections.nCopies(keys.size(),
        "?")) + ")";
  }

  private String notNull() {
    List<String> parts = new ArrayList<>();
    for (Column c : keys) {
      parts.add(dialect.quote(c.name()) + " IS NOT NULL");
    }
    return String.join(" AND ", parts);
  }

  /** The rows of {@code range}; its bound values are appended to {@code params}. */
  String range(KeyRange range, List<Object> params) {
    if (range.nullKeys()) {
      List<String> anyNull = new ArrayList<>();
      for (Column c : keys) {
        anyNull.add(dialect.quote(c.name()) + " IS NULL");
      }
      return "(" + String.join(" OR ", anyNull) + ")";
    }
    List<String> terms = new ArrayList<>();
    terms.add(notNull());
    if (range.lower() != null) {
      terms.add(compare(">=", converted(range.lower()), params));
    }
    if (range.upper() != null) {
      terms.add(compare("<", converted(range.upper()), params));
    }
    return String.join(" AND ", terms);
  }

  /** The key, in binary order, compared with {@code bound} ({@link RowComparison}). */
  private String compare(String op, List<Object> bound, List<Object> params) {
    return RowComparison.compare(dialect, orderedColumns(), op, bound, params);
  }

  /** Keys between two integers, both inclusive, for value buckets of a single integer key. */
  String between(long lowest, long highest, List<Object> params) {
    String q = dialect.quote(keys.get(0).name());
    params.add(lowest);
    params.add(highest);
    return q + " >= ? AND " + q + " <= ?";
  }

  /**
   * Keys in any of the given value buckets ({@link Bucketing#byValue}): an OR of key intervals,
   * which index range scans read; beyond a thousand buckets a list of bucket numbers, which
   * keeps the statement within every driver's parameter limit.
   */
  String inValueBuckets(Bucketing bucketing, long[] buckets, List<Object> params) {
    if (buckets.length > 1000) {
      StringBuilder in = new StringBuilder(bucketing.sql(dialect,
          dialect.quote(keys.get(0).name()), null)).append(" IN (");
      for (int i = 0; i < buckets.length; i++) {
        in.append(i == 0 ? "" : ", ").append(buckets[i]);
      }
      return in.append(')').toString();
    }
    List<String> intervals = new ArrayList<>();
    for (long b : buckets) {
      long[] bounds = bucketing.bounds(b);
      intervals.add("(" + between(bounds[0], bounds[1], params) + ")");
    }
    return String.join(" OR ", intervals);
  }

  /**
   * Rows whose key is one of {@code keyValues} (each in key order, already of this side's
   * kinds). Equality is by the column's own collation, which may use an index, and then by
   * binary order, so a case-insensitive collation cannot return a neighbouring key.
   */
  String in(List<Object[]> keyValues, List<Object> params) {
    List<String> plain = new ArrayList<>();
    for (Column c : keys) {
      plain.add(dialect.quote(c.name()));
    }
    String plainTuple = keys.size() == 1 ? plain.get(0) : "(" + String.join(", ", plain) + ")";
    String list = String.join(", ", Collections.nCopies(keyValues.size(), placeholders()));
    for (Object[] key : keyValues) {
      Collections.addAll(params, key);
    }
    boolean anyText = keys.stream().anyMatch(Column::isText);
    if (!anyText || dialect == Dialect.POSTGRESQL) {
      // PostgreSQL's deterministic collations are equal exactly when the bytes are.
      return plainTuple + " IN (" + list + ")";
    }
    for (Object[] key : keyValues) {
      Collections.addAll(params, key);
    }
    return plainTuple + " IN (" + list + ") AND " + tuple() + " IN (" + list + ")";
  }

  /** Bound values converted to this side's key kinds. */
  List<Object> converted(Object[] values) {
    List<Object> out = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      Column c = keys.get(i);
      try {
        out.add(Conversions.convert(values[i], ColumnKinds.of(c, dialect)));
      } catch (ConversionException e) {
        throw new IllegalArgumentException("key column " + c.name() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
