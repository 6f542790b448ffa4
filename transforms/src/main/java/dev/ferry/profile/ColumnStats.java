package dev.ferry.profile;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.temporal.Temporal;
import java.util.UUID;

/**
 * What the profile learns about one column, mergeable across workers: NULLs, a distinct-count
 * sketch, the smallest and largest value, and for text and binary values their lengths in bytes
 * (text as UTF-8), total bytes and how many exceed the large-value threshold.
 */
final class ColumnStats implements Serializable {
  private static final long serialVersionUID = 1L;
  // Long text keeps only a prefix for min/max: prefixes keep their order, and reports are short.
  static final int MAX_KEPT_CHARS = 200;

  long nulls;
  long values;
  long zoneless;
  final HyperLogLog distinct = new HyperLogLog();
  private Object min;
  private Object max;
  // True once values of different kinds met: a loosely typed source; min/max are then unknown.
  private boolean mixedKinds;
  LengthHistogram lengths;
  final TopValues top = new TopValues();
  long maxLength;
  long maxChars;
  long totalBytes;
  long largeValues;

  void addNull() {
    nulls++;
  }

  /** Counts a non-NULL value that is not text or binary. */
  void addValue(Object v) {
    values++;
    distinct.add(ValueHash.of(v));
    // Only values whose text is the value are shown as top values (not arrays or documents).
    if (v instanceof Number || v instanceof Boolean || v instanceof Temporal
        || v instanceof UUID) {
      top.add(v);
    } else {
      top.giveUp();
    }
    if (v instanceof LocalDateTime) {
      zoneless++;
    }
    // UUIDs compare as signed numbers in Java, unlike in any database: no min/max for them.
    if (!(v instanceof UUID)) {
      track(v);
    }
  }

  /** Counts a text value that {@code scan} has just scanned. */
  void addText(String s, TextScan scan, long largeValueBytes) {
    values++;
    distinct.add(scan.hash);
    addLength(scan.utf8Bytes, largeValueBytes);
    maxChars = Math.max(maxChars, scan.codePoints);
    top.add(s);
    trackText(s);
  }

  void addBytes(byte[] b, long largeValueBytes) {
    values++;
    distinct.add(ValueHash.of(b));
    top.giveUp();
    addLength(b.length, largeValueBytes);
  }

  private void addLength(long length, long largeValueBytes) {
    if (lengths == null) {
      lengths = new LengthHistogram();
    }
    lengths.add(length);
    maxLength = Math.max(maxLength, length);
    totalBytes += length;
    if (length > largeValueBytes) {
      largeValues++;
    }
  }

  /**
   * Tracks text by its first {@value #MAX_KEPT_CHARS} characters, cut only when a value becomes
   * the new min or max. Comparing a whole text with a kept prefix orders it as its own prefix
   * would be ordered, so the kept values are the prefixes of the true min and max.
   */
  private void trackText(String s) {
    if (mixedKinds) {
      return;
    }
    if (min instanceof String) {
      if (s.compareTo((String) min) < 0) {
        min = prefix(s);
      } else if (s.compareTo((String) max) > 0) {
        max = prefix(s);
      }
      return;
    }
    track(prefix(s));
  }

  private static String prefix(String s) {
    return s.length() > MAX_KEPT_CHARS ? s.substring(0, MAX_KEPT_CHARS) : s;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void track(Object v) {
    if (mixedKinds) {
      return;
    }
    if (min == null) {
      min = v;
      max = v;
      return;
    }
    if (min.getClass() != v.getClass()) {
      mixedKinds = true;
      min = null;
      max = null;
      return;
    }
    if (((Comparable) v).compareTo(min) < 0) {
      min = v;
    } else if (((Comparable) v).compareTo(max) > 0) {
      max = v;
    }
  }

  void merge(ColumnStats other) {
    nulls += other.nulls;
    values += other.values;
    zoneless += other.zoneless;
    distinct.merge(other.distinct);
    if (other.mixedKinds) {
      mixedKinds = true;
      min = null;
      max = null;
    } else if (other.min != null) {
      track(other.min);
      track(other.max);
    }
    if (other.lengths != null) {
      if (lengths == null) {
        lengths = new LengthHistogram();
      }
      lengths.merge(other.lengths);
    }
    top.merge(other.top);
    maxLength = Math.max(maxLength, other.maxLength);
    maxChars = Math.max(maxChars, other.maxChars);
    totalBytes += other.totalBytes;
    largeValues += other.largeValues;
  }

  ColumnProfile toProfile(String name, String type) {
    long rows = nulls + values;
    boolean measured = lengths != null;
    long p99 = measured ? Math.min(maxLength, lengths.percentile(0.99)) : 0;
    // An estimate can exceed the values it counts; never report more distinct values than that.
    return new ColumnProfile(name, type, nulls, rows == 0 ? 0.0 : (double) nulls / rows,
        Math.min(distinct.estimate(), values), true, render(min), render(max), measured ? maxLength : null,
        measured ? p99 : null, measured && maxChars > 0 ? maxChars : null,
        measured ? totalBytes : null, measured ? largeValues : null,
        measured ? largeValues > 0 : null, measured ? lengths.doublingBins() : null,
        top.toList());
  }

  private static String render(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    if (v instanceof String && ((String) v).length() == MAX_KEPT_CHARS) {
      return v + "…";
    }
    return v.toString();
  }
}
