package dev.ferry.pipelines.sync;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Key values as both the change events and the source's column readers spell them. */
final class SyncValues {
  private SyncValues() {}

  /**
   * Whole numbers as Long (the readers' kind; events carry INT as Integer) and big integers as
   * BigDecimal (unsigned BIGINT), so a key from an event equals the same key read back.
   */
  static Object[] normalizeKey(Object[] key) {
    Object[] out = new Object[key.length];
    for (int i = 0; i < key.length; i++) {
      Object v = key[i];
      if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
        v = ((Number) v).longValue();
      } else if (v instanceof BigInteger) {
        v = new BigDecimal((BigInteger) v);
      }
      out[i] = v;
    }
    return out;
  }
}
