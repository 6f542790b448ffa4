package dev.ferry.write;

import dev.ferry.jdbc.ColumnKinds;
import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.ConversionException;
import dev.ferry.record.Conversions;
import dev.ferry.record.ValueKind;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Converts a mapped value to what one target column accepts and binds it. Before the database
 * sees a value it is checked against the column, so that rows the target would reject — or,
 * worse, silently alter — are dead-lettered with the column and the reason: NULL into NOT NULL,
 * text longer than the column, NUL characters and broken surrogates (PostgreSQL rejects the
 * first, drivers replace the second with '?'), integers out of range, decimals with more digits
 * than the column keeps (both engines would round them quietly), and NaN or infinity where the
 * target cannot store them.
 *
 * <p>Also checked: numbers written into {@code double precision}/{@code real} columns must keep
 * their value (a bigint beyond 2^53, a numeric with 20 significant digits or a double written into
 * a real would be rounded); dates and timestamps must lie in the range the column holds
 * (MySQL/MariaDB DATE and DATETIME: years 1 to 9999, TIMESTAMP: 1970-01-01 00:00:01 to
 * 2038-01-19 03:14:07 UTC; PostgreSQL: 4714 BC to 5874897 AD for dates, 294276 AD for
 * timestamps) and must not have more fractional-second digits than the column keeps (a
 * DATETIME(0) would round 10:00:00.5). Documented conversion: binary values written into text,
 * JSON or other text-typed columns are decoded as UTF-8 when they are valid UTF-8, and rejected
 * with the offset of the first invalid byte otherwise.
 */
public final class ValueBinder implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int TEXT_SLICE_CHARS = 8192;

  private final String column;
  private final ValueKind kind;
  private final boolean nullable;
  private final int maxChars;
  private final int precision;
  private final int scale;
  private final long minInt;
  private final long maxInt;
  private final boolean finiteOnly;
  private final boolean rejectNul;
  private final boolean mysql;
  private final TemporalRange temporalRange;
  private final String typeName;
  /** A bit-string column: PostgreSQL bit(n)/varbit(n), MySQL BIT(n). */
  private final boolean bits;
  /** A bit column of fixed length (bit(n), BIT(n)), not a varbit. */
  private final boolean fixedBits;
  /** The bit column's length n; 0 when it has no limit (varbit). */
  private final int bitLength;
  /** Scratch for {@link #checkText}; a binder is used by one thread at a time. */
  private transient char[] slice;

  private ValueBinder(Column c, ValueKind kind, int maxChars, long minInt, long maxInt,
      boolean finiteOnly, Dialect dialect) {
    this.column = c.name();
    this.kind = kind;
    this.nullable = c.nullable();
    this.maxChars = maxChars;
    this.precision = kind == ValueKind.DECIMAL ? c.size() : 0;
    this.scale = c.scale();
    this.minInt = minInt;
    this.maxInt = maxInt;
    this.finiteOnly = finiteOnly;
    this.rejectNul = dialect == Dialect.POSTGRESQL;
    this.mysql = dialect == Dialect.MYSQL;
    this.typeName = c.typeName();
    String type = typeName.toLowerCase(Locale.ROOT);
    this.fixedBits = type.equals("bit");
    this.bits = fixedBits || type.equals("varbit") || type.equals("bit varying");
    this.bitLength = c.size() > 0 && c.size() < (1 << 24) ? c.size() : 0;
    this.temporalRange = new TemporalRange(c, kind, dialect);
  }

  public static ValueBinder forColumn(Column c, Dialect dialect) {
    String type = c.typeName().toLowerCase(Locale.ROOT);
    ValueKind kind = ColumnKinds.of(c, dialect);
    int maxChars = 0;
    if (kind == ValueKind.TEXT && (type.contains("char") || type.equals("bpchar"))
        && c.size() > 0 && c.size() < Integer.MAX_VALUE) {
      maxChars = c.size();
    }
    long min = Long.MIN_VALUE;
    long max = Long.MAX_VALUE;
    if (kind == ValueKind.LONG) {
      boolean unsigned = type.contains("unsigned");
      int bits = integerBits(type);
      if (bits < 64) {
        min = unsigned ? 0 : -(1L << (bits - 1));
        max = unsigned ? (1L << bits) - 1 : (1L << (bits - 1)) - 1;
      } else if (unsigned) {
        min = 0;
      }
    }
    boolean finiteOnly = dialect == Dialect.MYSQL
        && (kind == ValueKind.DOUBLE || kind == ValueKind.FLOAT);
    return new ValueBinder(c, kind, maxChars, min, max, finiteOnly, dialect);
  }

  private static int integerBits(String type) {
    if (type.startsWith("tinyint")) {
      return 8;
    }
    if (type.startsWith("smallint") || type.equals("int2") || type.equals("smallserial")) {
      return 16;
    }
    if (type.startsWith("mediumint")) {
      return 24;
    }
    if (type.equals("int4") || type.equals("integer") || type.equals("serial")
        || type.equals("int") || type.startsWith("int ")) {
      return 32;
    }
    return 64;
  }

  public String column() {
    return column;
  }

  /** Why a value could not be converted ({@link #convert}), naming this column once. */
  public String failure(ConversionException e) {
    String message = e.getMessage();
    return message.startsWith("column ") ? message : "column " + column + ": " + message;
  }

  /** The value as the column takes it, or why it cannot be written. */
  public Object convert(Object value) throws ConversionException {
    if (value == null) {
      if (!nullable) {
        throw new ConversionException("column " + column + " is NOT NULL but the value is NULL");
      }
      return null;
    }
    if (bits && kind == ValueKind.OTHER) {
      return BitStrings.fit(value, bitLength, fixedBits, column);
    }
    if (value instanceof byte[]
        && (kind == ValueKind.TEXT || kind == ValueKind.JSON || kind == ValueKind.OTHER)) {
      value = utf8((byte[]) value);
    }
    Object v = Conversions.convert(value, kind);
    if (kind == ValueKind.DOUBLE || kind == ValueKind.FLOAT) {
      FloatExactness.check(column, kind, typeName, value, v);
    } else if (v instanceof java.time.temporal.Temporal) {
      temporalRange.check(v);
    }
    if (v instanceof String) {
      checkText((String) v);
    } else if (v instanceof Long) {
      long l = (Long) v;
      if (l < minInt || l > maxInt) {
        throw new ConversionException("column " + column + ": " + l + " is out of range ["
            + minInt + ", " + maxInt + "]");
      }
    } else if (v instanceof BigDecimal && precision > 0) {
      checkDecimal((BigDecimal) v);
    } else if (finiteOnly && v instanceof Double && !Double.isFinite((Double) v)
        || finiteOnly && v instanceof Float && !Float.isFinite((Float) v)) {
      throw new ConversionException("column " + column + ": " + v + " cannot be stored (the"
          + " target has no NaN or infinity)");
    }
    return v;
  }

  private String utf8(byte[] bytes) throws ConversionException {
    java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    try {
      return decoder.decode(in).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      // decode() leaves the buffer at the start of the malformed input
      int at = in.position();
      throw new ConversionException("column " + column + ": " + bytes.length + " bytes are not"
          + " valid UTF-8 (byte 0x" + String.format("%02X", bytes[Math.min(at, bytes.length - 1)])
          + " at offset " + at + "); binary values become text only when they are valid UTF-8");
    }
  }

  private void checkText(String s) throws ConversionException {
    int n = s.length();
    if (slice == null) {
      slice = new char[TEXT_SLICE_CHARS];
    }
    // Bulk copies of slices: a charAt loop costs a bounds check per char on every text value.
    int pairEnd = 0; // a checked surrogate pair may straddle two slices
    for (int from = 0; from < n; from += TEXT_SLICE_CHARS) {
      int len = Math.min(TEXT_SLICE_CHARS, n - from);
      s.getChars(from, from + len, slice, 0);
      for (int i = 0; i < len; i++) {
        char c = slice[i];
        if (c == 0 && rejectNul) {
          throw new ConversionException("column " + column + ": text contains a NUL character"
              + " (U+0000) at position " + (from + i) + ", which PostgreSQL cannot store");
        }
        if (Character.isSurrogate(c) && from + i >= pairEnd) {
          pairEnd = from + i + checkSurrogatePair(s, from + i);
        }
      }
    }
    if (maxChars > 0 && n > maxChars && s.codePointCount(0, n) > maxChars) {
      throw new ConversionException("column " + column + ": text of "
          + s.codePointCount(0, n) + " characters does not fit in " + maxChars);
    }
  }

  /** The length of the valid surrogate pair at {@code at}, or why there is none. */
  private int checkSurrogatePair(String s, int at) throws ConversionException {
    if (Character.isHighSurrogate(s.charAt(at)) && at + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(at + 1))) {
      return 2;
    }
    throw new ConversionException("column " + column + ": text is not valid Unicode (a"
        + " broken surrogate pair at position " + at + ")");
  }

  private void checkDecimal(BigDecimal d) throws ConversionException {
    if (d.scale() >= 0 && d.scale() <= scale && d.precision() - d.scale() <= precision - scale) {
      return; // fits as written; only a value that looks too long needs its zeros stripped
    }
    BigDecimal stripped = d.stripTrailingZeros();
    if (stripped.scale() > scale) {
      throw new ConversionException("column " + column + ": " + d.toPlainString() + " has more"
          + " than " + scale + " decimal places; the target would round it");
    }
    int integerDigits = Math.max(0, stripped.precision() - stripped.scale());
    if (integerDigits > precision - scale) {
      throw new ConversionException("column " + column + ": " + d.toPlainString()
          + " does not fit numeric(" + precision + "," + scale + ")");
    }
  }

  public void bind(PreparedStatement ps, int index, Object v) throws SQLException {
    if (v == null) {
      ps.setNull(index, kind == ValueKind.JSON || kind == ValueKind.OTHER || kind == ValueKind.UUID
          ? Types.OTHER : Types.NULL);
      return;
    }
    switch (kind) {
      case BOOLEAN:
        if (bits && !mysql) {
          // PostgreSQL has no cast from boolean to bit(1): bind the digit as untyped text.
          ps.setObject(index, (Boolean) v ? "1" : "0", Types.OTHER);
        } else {
          ps.setObject(index, v);
        }
        return;
      case JSON:
      case OTHER:
        if (bits && mysql) {
          ps.setBytes(index, BitStrings.bytes((String) v));
        } else if (mysql) {
          ps.setString(index, (String) v);
        } else {
          // Untyped, so the server parses the text as the column's own type (jsonb, enum, …).
          ps.setObject(index, v, Types.OTHER);
        }
        return;
      case TIMESTAMPTZ:
        if (mysql) {
          // The session is UTC, so the instant is written as its UTC wall time.
          ps.setString(index, mysqlDatetime(((OffsetDateTime) v)
              .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()));
        } else {
          ps.setObject(index, v);
        }
        return;
      case TIMESTAMP:
        if (mysql) {
          ps.setString(index, mysqlDatetime((LocalDateTime) v));
        } else {
          ps.setObject(index, (LocalDateTime) v);
        }
        return;
      case FLOAT:
      case DOUBLE:
        if (mysql) {
          bindMysqlFloatingPoint(ps, index, ((Number) v).doubleValue());
        } else {
          ps.setObject(index, v);
        }
        return;
      case UUID:
        if (mysql) {
          ps.setString(index, v.toString());
        } else {
          ps.setObject(index, v);
        }
        return;
      case BYTES:
        ps.setBytes(index, (byte[]) v);
        return;
      case TEXT:
        ps.setString(index, (String) v);
        return;
      default:
        if (mysql && v instanceof LocalTime) {
          ps.setString(index, mysqlTime((LocalTime) v));
        } else {
          ps.setObject(index, v);
        }
    }
  }

  /*
   * MySQL temporal values are written as text with all six fractional digits. Connector/J drops
   * the fraction of a LocalDateTime or LocalTime when the server's version is below 5.6.4, and
   * MariaDB 10.x introduces itself as 5.5.5-10.x: 12:34:56.999999 was stored as 12:34:56.
   * checkTime has already limited the year to 1..9999 and the digits to the column's.
   */
  private static String mysqlDatetime(LocalDateTime v) {
    StringBuilder b = new StringBuilder(26);
    digits(b, v.getYear(), 4).append('-');
    digits(b, v.getMonthValue(), 2).append('-');
    digits(b, v.getDayOfMonth(), 2).append(' ');
    return time(b, v.toLocalTime()).toString();
  }

  private static String mysqlTime(LocalTime v) {
    return time(new StringBuilder(15), v).toString();
  }

  private static StringBuilder time(StringBuilder b, LocalTime v) {
    digits(b, v.getHour(), 2).append(':');
    digits(b, v.getMinute(), 2).append(':');
    digits(b, v.getSecond(), 2).append('.');
    return digits(b, v.getNano() / 1000, 6);
  }

  /** {@code value} (not negative) with leading zeros to {@code width} digits; no String.format. */
  private static StringBuilder digits(StringBuilder b, int value, int width) {
    for (int limit = 10, w = 1; w < width; w++, limit *= 10) {
      if (value < limit) {
        b.append('0');
      }
    }
    return b.append(value);
  }

  /**
   * The driver writes a float or double into the statement as Java prints it, which MySQL reads
   * as a literal of its own: -0.0 is read as the DECIMAL zero (the sign is lost), and a float
   * printed with its shortest digits can lie past the float's range as a double (3.4028235E38 is
   * "out of range" for FLOAT). A float is written as its exact double value, which the server
   * narrows back to the same float, and negative zero as the double literal -0E0.
   */
  private static void bindMysqlFloatingPoint(PreparedStatement ps, int index, double d)
      throws SQLException {
    if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
      ps.setString(index, "-0E0");
    } else {
      ps.setDouble(index, d);
    }
  }
}
