package dev.ferry.record;

import java.util.List;

/**
 * Estimates of how many bytes of Java heap ferry values and rows take. Chunks are cut at a byte
 * budget with these estimates ({@code ReadRanges.withMaxChunkBytes}), so they need to be cheap
 * and roughly right, not exact: text counts two bytes per character (the worst case of a Java
 * string), binary values their length, everything else a small constant.
 */
public final class ValueSize {
  /** Object header, array or field overhead per value. */
  private static final int OVERHEAD = 24;

  private ValueSize() {}

  public static long of(Object v) {
    if (v == null) {
      return 8;
    }
    if (v instanceof String) {
      return OVERHEAD + 2L * ((String) v).length();
    }
    if (v instanceof byte[]) {
      return OVERHEAD + ((byte[]) v).length;
    }
    if (v instanceof java.math.BigDecimal) {
      return OVERHEAD + 32;
    }
    return OVERHEAD + 8;
  }

  public static long of(Object[] row) {
    long n = 16 + 8L * row.length;
    for (Object v : row) {
      n += of(v);
    }
    return n;
  }

  public static long of(Record r) {
    return of(r.values());
  }

  public static long ofRecords(List<Record> rows) {
    long n = 0;
    for (Record r : rows) {
      n += of(r.values());
    }
    return n;
  }

  public static long of(DeadLetter d) {
    return OVERHEAD * 5L + 2L * (d.key().length() + d.error().length() + d.sourceRow().length());
  }
}
