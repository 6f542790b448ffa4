package dev.ferry.write;

import dev.ferry.record.ConversionException;
import java.math.BigInteger;

/**
 * Bit-string values on their way into a {@code bit(n)}/{@code varbit(n)} (PostgreSQL) or {@code
 * BIT(n)} (MySQL/MariaDB) column. In flight a bit string is its binary digits, most significant
 * first ({@code 00000101}), as ferry reads both engines' bit columns; bytes, numbers and booleans
 * are taken too. A fixed-length column gets exactly n digits: zeros are added or dropped on the
 * left, and a value with a 1 beyond the n-th digit is refused rather than cut.
 */
final class BitStrings {
  private BitStrings() {}

  static String fit(Object value, int n, boolean fixed, String column)
      throws ConversionException {
    String digits = digits(value, column);
    if (n > 0 && digits.length() > n) {
      int ones = digits.indexOf('1');
      if (ones >= 0 && ones < digits.length() - n) {
        throw new ConversionException("column " + column + ": the bit string " + shown(digits)
            + " has " + (digits.length() - ones) + " significant bits, more than the " + n
            + " the column holds");
      }
      digits = digits.substring(digits.length() - n);
    }
    if (fixed && n > digits.length()) {
      digits = "0".repeat(n - digits.length()) + digits;
    }
    return digits;
  }

  /** The digits as big-endian bytes, as MySQL takes a BIT value bound as binary. */
  static byte[] bytes(String digits) {
    byte[] out = new byte[Math.max(1, (digits.length() + 7) / 8)];
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(digits.length() - 1 - i) == '1') {
        out[out.length - 1 - i / 8] |= (byte) (1 << (i % 8));
      }
    }
    return out;
  }

  private static String digits(Object value, String column) throws ConversionException {
    if (value instanceof String) {
      String s = ((String) value).trim();
      if (!s.isEmpty() && s.chars().allMatch(c -> c == '0' || c == '1')) {
        return s;
      }
      throw new ConversionException("column " + column + ": '" + shown(s) + "' is not a bit"
          + " string (only the digits 0 and 1)");
    }
    if (value instanceof Boolean) {
      return (Boolean) value ? "1" : "0";
    }
    if (value instanceof byte[]) {
      byte[] bytes = (byte[]) value;
      StringBuilder sb = new StringBuilder(bytes.length * 8);
      for (byte b : bytes) {
        for (int bit = 7; bit >= 0; bit--) {
          sb.append((b >> bit & 1) == 1 ? '1' : '0');
        }
      }
      return sb.length() == 0 ? "0" : sb.toString();
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      long l = ((Number) value).longValue();
      if (l >= 0) {
        return Long.toBinaryString(l);
      }
    }
    if (value instanceof BigInteger && ((BigInteger) value).signum() >= 0) {
      return ((BigInteger) value).toString(2);
    }
    if (value instanceof java.math.BigDecimal) {
      try {
        BigInteger i = ((java.math.BigDecimal) value).toBigIntegerExact();
        if (i.signum() >= 0) {
          return i.toString(2);
        }
      } catch (ArithmeticException fraction) {
        // falls through to the refusal
      }
    }
    throw new ConversionException("column " + column + ": " + shown(String.valueOf(value))
        + " cannot be written as a bit string");
  }

  private static String shown(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
