package dev.ferry.write;

import dev.ferry.record.ConversionException;
import dev.ferry.record.ValueKind;
import java.math.BigDecimal;

/**
 * A floating-point column keeps fewer digits than a decimal or a long may carry; a value that
 * would be stored as a different number is refused instead of rounded.
 */
final class FloatExactness {
  private FloatExactness() {}

  /** A number written into a floating-point column must come out with the same value. */
  static void check(String column, ValueKind kind, String typeName, Object in, Object out)
      throws ConversionException {
    if (out == null || in instanceof Double && kind == ValueKind.DOUBLE
        || in instanceof Float) {
      return;
    }
    double d = ((Number) out).doubleValue();
    if (!Double.isFinite(d)) {
      boolean spelledOut = in instanceof Double
          || in instanceof String && ((String) in).trim().matches("(?i)[+-]?(nan|inf|infinity)");
      if (!spelledOut) {
        throw new ConversionException("column " + column + ": " + shown(in) + " is beyond the"
            + " range of " + typeName);
      }
      return;
    }
    BigDecimal exact;
    if (in instanceof Long) {
      exact = BigDecimal.valueOf((Long) in);
    } else if (in instanceof BigDecimal) {
      exact = (BigDecimal) in;
    } else if (in instanceof Double) {
      exact = new BigDecimal(in.toString());
    } else if (in instanceof String) {
      try {
        exact = new BigDecimal(((String) in).trim());
      } catch (NumberFormatException e) {
        return;
      }
    } else {
      return;
    }
    BigDecimal stored = new BigDecimal(out.toString());
    if (stored.compareTo(exact) != 0) {
      throw new ConversionException("column " + column + ": " + shown(in) + " has more"
          + " significant digits than " + typeName + " keeps; it would be stored as " + out);
    }
  }

  private static String shown(Object in) {
    String s = in instanceof BigDecimal ? ((BigDecimal) in).toPlainString() : in.toString();
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }
}
