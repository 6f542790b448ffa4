package dev.ferry.profile;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A 64-bit hash of one ferry value for the distinct-count sketch. Each kind is hashed from its
 * natural bits without allocating (the profile hashes every value of every column), then mixed
 * with the SplitMix64 finalizer so that neighbouring ids spread over all registers. Decimals hash
 * their unscaled value and scale, so 1.50 and 1.5 count as two values, as they would in a
 * NUMERIC column that keeps the scale.
 */
final class ValueHash {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private ValueHash() {}

  static long of(Object v) {
    if (v instanceof Long) {
      return mix((Long) v);
    }
    if (v instanceof String) {
      return chars((String) v);
    }
    if (v instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) v;
      if (d.unscaledValue().bitLength() < 63) {
        return mix(mix(d.unscaledValue().longValue()) + d.scale() + 5);
      }
      return chars(d.toString()) + 5;
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
    return chars(v.toString());
  }

  private static long chars(String s) {
    long h = s.length();
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * GOLDEN;
      h ^= h >>> 29;
    }
    return mix(h);
  }

  private static long bytes(byte[] b) {
    long h = ~(long) b.length;
    for (byte x : b) {
      h = (h ^ (x & 0xFF)) * GOLDEN;
      h ^= h >>> 29;
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
