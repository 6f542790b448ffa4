package dev.ferry.enrich;

import dev.ferry.record.KeyCodec;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The text a lookup joins on. Both sides of a lookup may come from different engines, so values
 * that are equal but of different Java types must give the same text: every integral number (an
 * int from one side, a bigint or a {@code numeric(10,0)} from the other) becomes the same long,
 * and decimals lose trailing zeros ({@code 1.50} and {@code 1.5} match). Text is compared
 * exactly, case and spaces included; normalise it with mapping {@code ops} before the lookup.
 */
public final class JoinKey {
  private JoinKey() {}

  /** The join text of {@code values}, or null when one of them is NULL: NULL matches nothing. */
  public static String of(Object[] values) {
    Object[] canonical = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) {
        return null;
      }
      canonical[i] = canonical(v);
    }
    return KeyCodec.encode(canonical);
  }

  private static Object canonical(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger) {
      return canonical(new BigDecimal((BigInteger) v));
    }
    if (v instanceof BigDecimal) {
      BigDecimal d = ((BigDecimal) v).stripTrailingZeros();
      if (d.scale() > 0) {
        return d;
      }
      BigInteger whole = d.toBigIntegerExact();
      return whole.bitLength() < 64 ? (Object) whole.longValue() : new BigDecimal(whole);
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? canonical(new BigDecimal(Double.toString(d))) : v;
    }
    return v;
  }
}
