package dev.ferry.profile;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A 64-bit hash of one ferry value for the distinct-count sketch. Each kind is hashed from its
 * natural bits without allocating (the profile hashes every value of every column), then mixed
 * with the SplitMix64 finalizer so that neighbouring ids spread over all registers. Text
 * ({@link TextScan}) and binary values are hashed a 64-bit word at a time (four UTF-16 units,
 * eight bytes): one multiply per word instead of one per character. Decimals hash their value and scale, so 1.50 and 1.5
 * count as two values, as they would in a NUMERIC column that keeps the scale.
 */
final class ValueHash {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private ValueHash() {}

  static long of(Object v) {
    if (v instanceof Long) {
      return mix((Long) v);
    }
    if (v instanceof String) {
      return TextScan.hash((String) v);
    }
    if (v instanceof BigDecimal) {
      return decimal((BigDecimal) v);
    }
    if (v instanceof Double) {
      return mix(Double.doubleToLongBits((Double) v) + 1);
    }
    if (v instanceof Float) {
      return mix(Float.floatToIntBits((Float) v) + 2L);
    }
    if (v instanceof LocalDateTime) {
      LocalDateTime t = (LocalDateTime) v;
      return mix(mix(t.toEpochSecond(ZoneOffset.UTC)) + t.getNano() + 3);
    }
    if (v instanceof OffsetDateTime) {
      OffsetDateTime t = (OffsetDateTime) v;
      return mix(mix(t.toEpochSecond()) + t.getNano() + 4);
    }
    if (v instanceof LocalDate) {
      return mix(((LocalDate) v).toEpochDay() + 6);
    }
    if (v instanceof LocalTime) {
      return mix(((LocalTime) v).toNanoOfDay() + 7);
    }
    if (v instanceof UUID) {
      UUID u = (UUID) v;
      return mix(mix(u.getMostSignificantBits()) ^ u.getLeastSignificantBits());
    }
    if (v instanceof Boolean) {
      return mix((Boolean) v ? 8 : 9);
    }
    if (v instanceof byte[]) {
      return bytes((byte[]) v);
    }
    return TextScan.hash(v.toString());
  }

  /**
   * A decimal from its double value and {@code hashCode} (unscaled value and scale), both free
   * of allocation for the usual compact decimals, where {@code unscaledValue()} builds a
   * BigInteger per call. Two decimals collide only if both agree, one in 2^32 for equal doubles.
   */
  private static long decimal(BigDecimal d) {
    return mix(mix(Double.doubleToLongBits(d.doubleValue())) + d.hashCode() + 5);
  }

  /** The start of a text's or byte string's hash: its length, spread. */
  static long seed(long length) {
    return length * GOLDEN;
  }

  /** The end of a hash computed in two lanes: both lanes, in order, through the finalizer. */
  static long join(long even, long odd) {
    return mix(even ^ mix(odd));
  }

  /** Adds one 64-bit word to a hash lane. */
  static long step(long h, long word) {
    h = (h ^ word) * GOLDEN;
    return h ^ (h >>> 29);
  }

  private static long bytes(byte[] b) {
    long h = ~seed(b.length);
    int i = 0;
    for (; i + 8 <= b.length; i += 8) {
      h = step(h, (long) LONGS.get(b, i));
    }
    for (; i < b.length; i++) {
      h = step(h, b[i] & 0xFF);
    }
    return mix(h);
  }

  /** The SplitMix64 finalizer: every input bit affects every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
