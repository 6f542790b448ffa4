package dev.ferry.record;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Lossless conversions between value kinds. A conversion that would change a value's meaning
 * (3.7 to an integer, 2 to a boolean, NaN to a decimal) fails with a message instead: ferry
 * never alters data silently. Documented rules: zone-less timestamps become instants by reading
 * them as UTC (state a source zone in the mapping to do otherwise), instants become zone-less
 * timestamps as UTC wall time, and text becomes bytes as UTF-8.
 */
public final class Conversions {
  private Conversions() {}

  public static Object convert(Object v, ValueKind kind) throws ConversionException {
    if (v == null) {
      return null;
    }
    switch (kind) {
      case TEXT:
      case JSON:
      case OTHER:
        return toText(v);
      case LONG:
        return toLong(v);
      case DECIMAL:
        return toDecimal(v);
      case DOUBLE:
        return toDouble(v);
      case FLOAT:
        return toFloat(v);
      case BOOLEAN:
        return toBoolean(v);
      case DATE:
        return toDate(v);
      case TIME:
        return toTime(v);
      case TIMESTAMP:
        return toTimestamp(v);
      case TIMESTAMPTZ:
        return toTimestamptz(v);
      case UUID:
        return toUuid(v);
      case BYTES:
        return toBytes(v);
      default:
        throw new IllegalStateException("unhandled kind " + kind);
    }
  }

  private static ConversionException cannot(Object v, String target) {
    String shown;
    if (v instanceof byte[]) {
      shown = ((byte[]) v).length + " bytes";
    } else {
      String text = v.toString();
      // Messages go into dead letters and logs: never a whole large value.
      shown = text.length() <= 200 ? "'" + text + "'"
          : "'" + text.substring(0, 200) + "...' (" + text.length() + " characters)";
    }
    return new ConversionException(
        "cannot convert " + v.getClass().getSimpleName() + " " + shown + " to " + target);
  }

  static String toText(Object v) throws ConversionException {
    if (v instanceof String) {
      return (String) v;
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    if (v instanceof byte[]) {
      throw cannot(v, "text");
    }
    return v.toString();
  }

  static Long toLong(Object v) throws ConversionException {
    try {
      if (v instanceof Long) {
        return (Long) v;
      }
      if (v instanceof BigDecimal) {
        return ((BigDecimal) v).stripTrailingZeros().longValueExact();
      }
      if (v instanceof Double || v instanceof Float) {
        double d = ((Number) v).doubleValue();
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().longValueExact();
      }
      if (v instanceof Boolean) {
        return (Boolean) v ? 1L : 0L;
      }
      if (v instanceof String) {
        return new BigDecimal(((String) v).trim()).stripTrailingZeros().longValueExact();
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw cannot(v, "an integer");
    }
    throw cannot(v, "an integer");
  }

  static BigDecimal toDecimal(Object v) throws ConversionException {
    try {
      if (v instanceof BigDecimal) {
        return (BigDecimal) v;
      }
      if (v instanceof Long) {
        return BigDecimal.valueOf((Long) v);
      }
      if (v instanceof Double || v instanceof Float) {
        double d = ((Number) v).doubleValue();
        if (!Double.isFinite(d)) {
          throw cannot(v, "a decimal (not a finite number)");
        }
        return new BigDecimal(v.toString());
      }
      if (v instanceof Boolean) {
        return (Boolean) v ? BigDecimal.ONE : BigDecimal.ZERO;
      }
      if (v instanceof String) {
        return new BigDecimal(((String) v).trim());
      }
    } catch (NumberFormatException e) {
      throw cannot(v, "a decimal");
    }
    throw cannot(v, "a decimal");
  }

  static Double toDouble(Object v) throws ConversionException {
    if (v instanceof Double) {
      return (Double) v;
    }
    if (v instanceof Number) {
      // A float widens exactly (0.1f is 0.10000000149011612), as both engines widen it:
      // MariaDB's CAST(f AS DOUBLE) and PostgreSQL's f::float8 state that value.
      return ((Number) v).doubleValue();
    }
    if (v instanceof String) {
      try {
        return Double.parseDouble(((String) v).trim());
      } catch (NumberFormatException e) {
        throw cannot(v, "a double");
      }
    }
    throw cannot(v, "a double");
  }

  static Float toFloat(Object v) throws ConversionException {
    if (v instanceof Float) {
      return (Float) v;
    }
    if (v instanceof Number || v instanceof String) {
      double d = toDouble(v);
      float f = (float) d;
      if (Double.isFinite(d) && Float.isInfinite(f)) {
        throw cannot(v, "a real (out of range)");
      }
      return f;
    }
    throw cannot(v, "a real");
  }

  static Boolean toBoolean(Object v) throws ConversionException {
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v instanceof Long || v instanceof BigDecimal) {
      BigDecimal d = v instanceof Long ? BigDecimal.valueOf((Long) v) : (BigDecimal) v;
      if (d.signum() == 0) {
        return false;
      }
      if (d.compareTo(BigDecimal.ONE) == 0) {
        return true;
      }
      throw cannot(v, "a boolean (only 0 and 1 are booleans)");
    }
    if (v instanceof String) {
      switch (((String) v).trim().toLowerCase(Locale.ROOT)) {
        case "true":
        case "t":
        case "yes":
        case "y":
        case "1":
          return true;
        case "false":
        case "f":
        case "no":
        case "n":
        case "0":
          return false;
        default:
          throw cannot(v, "a boolean");
      }
    }
    throw cannot(v, "a boolean");
  }

  static LocalDate toDate(Object v) throws ConversionException {
    if (v instanceof LocalDate) {
      return (LocalDate) v;
    }
    LocalDateTime t = v instanceof String && ((String) v).trim().length() == 10
        ? null : toTimestampOrNull(v);
    if (t != null) {
      if (!t.toLocalTime().equals(LocalTime.MIDNIGHT)) {
        throw cannot(v, "a date (it has a time of day)");
      }
      return t.toLocalDate();
    }
    if (v instanceof String) {
      try {
        return LocalDate.parse(((String) v).trim());
      } catch (DateTimeParseException e) {
        throw cannot(v, "a date");
      }
    }
    throw cannot(v, "a date");
  }

  static LocalTime toTime(Object v) throws ConversionException {
    if (v instanceof LocalTime) {
      return (LocalTime) v;
    }
    if (v instanceof String) {
      try {
        return LocalTime.parse(((String) v).trim());
      } catch (DateTimeParseException e) {
        throw cannot(v, "a time");
      }
    }
    throw cannot(v, "a time");
  }

  static LocalDateTime toTimestamp(Object v) throws ConversionException {
    LocalDateTime t = toTimestampOrNull(v);
    if (t == null) {
      throw cannot(v, "a timestamp");
    }
    return t;
  }

  private static LocalDateTime toTimestampOrNull(Object v) throws ConversionException {
    if (v instanceof LocalDateTime) {
      return (LocalDateTime) v;
    }
    if (v instanceof OffsetDateTime) {
      return ((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
    if (v instanceof LocalDate) {
      return ((LocalDate) v).atStartOfDay();
    }
    if (v instanceof String) {
      String s = ((String) v).trim().replace(' ', 'T');
      try {
        return LocalDateTime.parse(s);
      } catch (DateTimeParseException e) {
        try {
          return OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        } catch (DateTimeParseException e2) {
          throw cannot(v, "a timestamp");
        }
      }
    }
    return null;
  }

  static OffsetDateTime toTimestamptz(Object v) throws ConversionException {
    if (v instanceof OffsetDateTime) {
      return ((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC);
    }
    if (v instanceof String) {
      String s = ((String) v).trim().replace(' ', 'T');
      try {
        return OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        // zone-less text: read as UTC, like a zone-less timestamp
      }
    }
    LocalDateTime t = toTimestampOrNull(v);
    if (t == null) {
      throw cannot(v, "a timestamptz");
    }
    return t.atOffset(ZoneOffset.UTC);
  }

  static java.util.UUID toUuid(Object v) throws ConversionException {
    if (v instanceof java.util.UUID) {
      return (java.util.UUID) v;
    }
    if (v instanceof String) {
      try {
        return java.util.UUID.fromString(((String) v).trim());
      } catch (IllegalArgumentException e) {
        throw cannot(v, "a uuid");
      }
    }
    throw cannot(v, "a uuid");
  }

  static byte[] toBytes(Object v) throws ConversionException {
    if (v instanceof byte[]) {
      return (byte[]) v;
    }
    if (v instanceof String) {
      return ((String) v).getBytes(StandardCharsets.UTF_8);
    }
    throw cannot(v, "bytes");
  }
}
