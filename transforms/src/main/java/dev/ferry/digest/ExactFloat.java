package dev.ferry.digest;

import dev.ferry.jdbc.Dialect;

/**
 * The canonical text of a binary floating-point value that every engine can compute exactly:
 * the value as {@code m} times a power of two, written {@code [-]<m>p<e>}. For a normal double
 * {@code m} is its 53-bit significand (2^52 &lt;= m &lt; 2^53) and {@code e} its exponent less
 * 52; a subnormal has {@code e = -1074} and m &lt; 2^52. Zero is {@code 0}, negative zero
 * {@code -0} (IEEE 754 and both engines tell them apart), and PostgreSQL's specials are {@code NaN},
 * {@code Infinity} and {@code -Infinity}. A 4-byte float is widened to a double first, which is
 * exact.
 *
 * <p>Why not the engines' own text: PostgreSQL and MariaDB both print the shortest decimal that
 * reads back to the same double, but in different notations ({@code 1e+15} against {@code 1e15},
 * {@code 1e-05} against {@code 0.00001}), and MariaDB's text protocol rounds FLOAT to 6 digits.
 * Arithmetic by powers of two is exact in both engines, so the SQL below computes the very text
 * {@link #text} computes from the bits, with no formatting on the way.
 */
final class ExactFloat {
  private static final long TWO_52 = 1L << 52;
  private static final int MIN_EXPONENT = -1074;

  private ExactFloat() {}

  /** The canonical text of {@code d}. */
  static String text(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    long bits = Double.doubleToRawLongBits(d);
    String sign = bits < 0 ? "-" : "";
    if (d == 0) {
      return sign + "0";
    }
    int biased = (int) ((bits >>> 52) & 0x7ff);
    long fraction = bits & (TWO_52 - 1);
    long significand = biased == 0 ? fraction : fraction | TWO_52;
    int exponent = biased == 0 ? MIN_EXPONENT : biased - 1075;
    return sign + significand + "p" + exponent;
  }

  /** Reads a {@link #text} back. */
  static double parse(String text) {
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      case "0":
        return 0.0;
      case "-0":
        return -0.0;
      default:
        int p = text.indexOf('p');
        return Math.scalb((double) Long.parseLong(text.substring(0, p)),
            Integer.parseInt(text.substring(p + 1)));
    }
  }

  /**
   * SQL computing {@link #text} of {@code value}, an expression of the engine's double type
   * (PostgreSQL {@code float8}, MySQL {@code DOUBLE}); NULL when the value is.
   *
   * <p>The exponent's first guess, {@code floor(log2 |v|)}, may be one off next to a power of two
   * (the logarithm rounds); comparing {@code |v|} with the powers of two around it, which the
   * engines compute exactly, corrects it. Dividing by a power of two is exact, so the significand
   * is an integer below 2^53 that casts to a 64-bit integer without rounding.
   */
  static String sql(Dialect dialect, String value) {
    boolean pg = dialect == Dialect.POSTGRESQL;
    String abs = (pg ? "abs(" : "ABS(") + value + ")";
    // Clamped to the exponents a double has: the rounded logarithm of the largest double is
    // 1024, and PostgreSQL fails on a power of two that underflows.
    String guess = pg ? "least(greatest(floor(ln(" + abs + ") / ln(2::float8))::int, "
        + MIN_EXPONENT + "), 1023)" : "LEAST(GREATEST(FLOOR(LOG2(" + abs + ")), " + MIN_EXPONENT
        + "), 1023)";
    // |v| over a power of two near it lies in [0.5, 4): exact, never out of range.
    String ratio = abs + " / " + pow2(pg, guess);
    String log2 = "(" + guess + " + CASE WHEN " + ratio + " >= 2 THEN 1 WHEN " + ratio
        + " < 1 THEN -1 ELSE 0 END)";
    String exponent = (pg ? "greatest(" : "GREATEST(") + log2 + " - 52, " + MIN_EXPONENT + ")";
    String significand = abs + " / " + pow2(pg, exponent);
    if (pg) {
      String finite = "CASE WHEN " + value + " < 0 THEN '-' ELSE '' END || (" + significand
          + ")::int8::text || 'p' || (" + exponent + ")::text";
      return "CASE WHEN " + value + " = 0 THEN CASE WHEN " + value + "::text LIKE '-%' THEN '-0'"
          + " ELSE '0' END WHEN " + value + " = 'NaN'::float8 THEN 'NaN' WHEN " + value
          + " = 'Infinity'::float8 THEN 'Infinity' WHEN " + value + " = '-Infinity'::float8"
          + " THEN '-Infinity' ELSE " + finite + " END";
    }
    // MariaDB prints a negative zero as 0; its arc tangent against -1 is -pi.
    return "CASE WHEN " + value + " = 0 THEN IF(ATAN2(" + value + ", -1) < 0, '-0', '0') ELSE"
        + " CONCAT(IF(" + value + " < 0, '-', ''),"
        + " CAST(" + significand + " AS SIGNED), 'p', " + exponent + ") END";
  }

  private static String pow2(boolean pg, String exponent) {
    return pg ? "power(2::float8, " + exponent + ")" : "POW(2, " + exponent + ")";
  }
}
