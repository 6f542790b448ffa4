package dev.ferry.reconcile;

import dev.ferry.plan.KeyRange;
import dev.ferry.record.Column;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Puts planned key ranges into binary key order. The planner cuts text keys where the source's
 * collation puts them, but reconciliation compares ranges in binary (code point) order on both
 * engines ({@link KeyPredicates}); boundaries out of that order would make ranges overlap and
 * rows be read twice. Sorting the boundaries in binary order and rebuilding contiguous ranges
 * keeps every key in exactly one range, at the cost of less even ranges.
 */
public final class BinaryKeyOrder {
  private BinaryKeyOrder() {}

  /** The ranges re-cut in binary order when a key column is text; unchanged otherwise. */
  public static List<KeyRange> reorder(List<KeyRange> planned, List<Column> keyColumns) {
    if (keyColumns.stream().noneMatch(Column::isText)) {
      return planned;
    }
    List<Object[]> boundaries = new ArrayList<>();
    KeyRange nullRange = null;
    long rows = 0;
    for (KeyRange r : planned) {
      rows += r.estimatedRows();
      if (r.nullKeys()) {
        nullRange = r;
      } else if (r.upper() != null) {
        boundaries.add(r.upper());
      }
    }
    boundaries.sort(KEYS);
    List<Object[]> distinct = new ArrayList<>();
    for (Object[] b : boundaries) {
      if (distinct.isEmpty() || KEYS.compare(distinct.get(distinct.size() - 1), b) != 0) {
        distinct.add(b);
      }
    }
    List<KeyRange> ranges = new ArrayList<>();
    long perRange = rows / (distinct.size() + 1);
    for (int i = 0; i <= distinct.size(); i++) {
      ranges.add(KeyRange.between(i, i == 0 ? null : distinct.get(i - 1),
          i < distinct.size() ? distinct.get(i) : null, perRange));
    }
    if (nullRange != null) {
      ranges.add(KeyRange.ofNullKeys(ranges.size(), nullRange.estimatedRows()));
    }
    return ranges;
  }

  /** Key tuples in the order of PostgreSQL's "C" collation and MySQL's binary strings. */
  static final Comparator<Object[]> KEYS = (a, b) -> {
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      int c = compare(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  };

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a instanceof String && b instanceof String) {
      return compareCodePoints((String) a, (String) b);
    }
    if (integral(a) && integral(b)) {
      return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
    }
    if (a instanceof Number && b instanceof Number) {
      return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
    }
    if (a instanceof byte[] && b instanceof byte[]) {
      return Arrays.compareUnsigned((byte[]) a, (byte[]) b);
    }
    if (a instanceof java.util.UUID) {
      return a.toString().compareTo(b.toString());
    }
    if (a instanceof OffsetDateTime && b instanceof OffsetDateTime) {
      return ((OffsetDateTime) a).toInstant().compareTo(((OffsetDateTime) b).toInstant());
    }
    return ((Comparable) a).compareTo(b);
  }

  private static boolean integral(Object o) {
    return o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte;
  }

  /**
   * Code point order, which is the order of UTF-8 bytes; UTF-16 units order differently only
   * where a surrogate pair meets a character from U+E000 up.
   */
  static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (Character.isSurrogate(x) != Character.isSurrogate(y)) {
          return Character.isSurrogate(x) ? 1 : -1;
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }
}
