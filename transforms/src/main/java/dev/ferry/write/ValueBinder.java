package dev.ferry.write;

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
 */
public final class ValueBinder implements Serializable {
  private static final long serialVersionUID = 1L;

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
  }

  public static ValueBinder forColumn(Column c, Dialect dialect) {
    String type = c.typeName().toLowerCase(Locale.ROOT);
    ValueKind kind = kindOf(c, type, dialect);
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

  private static ValueKind kindOf(Column c, String type, Dialect dialect) {
    switch (c.jdbcType()) {
      case Types.BIT:
      case Types.BOOLEAN:
        return type.equals("bit") && c.size() > 1 ? ValueKind.OTHER : ValueKind.BOOLEAN;
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
        return ValueKind.LONG;
      case Types.BIGINT:
        return type.contains("unsigned") ? ValueKind.DECIMAL : ValueKind.LONG;
      case Types.NUMERIC:
      case Types.DECIMAL:
        return ValueKind.DECIMAL;
      case Types.REAL:
        return ValueKind.FLOAT;
      case Types.FLOAT:
      case Types.DOUBLE:
        return ValueKind.DOUBLE;
      case Types.DATE:
        return type.equals("year") ? ValueKind.LONG : ValueKind.DATE;
      case Types.TIME:
        return ValueKind.TIME;
      case Types.TIMESTAMP:
        if (dialect == Dialect.MYSQL) {
          return type.equals("timestamp") ? ValueKind.TIMESTAMPTZ : ValueKind.TIMESTAMP;
        }
        return type.equals("timestamptz") ? ValueKind.TIMESTAMPTZ : ValueKind.TIMESTAMP;
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return ValueKind.TIMESTAMPTZ;
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
      case Types.BLOB:
        return ValueKind.BYTES;
      case Types.OTHER:
        if (type.equals("uuid")) {
          return ValueKind.UUID;
        }
        return type.equals("json") || type.equals("jsonb") ? ValueKind.JSON : ValueKind.OTHER;
      case Types.ARRAY:
        return ValueKind.OTHER;
      default:
        return type.equals("json") ? ValueKind.JSON : ValueKind.TEXT;
    }
  }

  String column() {
    return column;
  }

  /** The value as the column takes it, or why it cannot be written. */
  public Object convert(Object value) throws ConversionException {
    if (value == null) {
      if (!nullable) {
        throw new ConversionException("column " + column + " is NOT NULL but the value is NULL");
      }
      return null;
    }
    Object v = Conversions.convert(value, kind);
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

  private void checkText(String s) throws ConversionException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0 && rejectNul) {
        throw new ConversionException("column " + column + ": text contains a NUL character"
            + " (U+0000) at position " + i + ", which PostgreSQL cannot store");
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new ConversionException("column " + column + ": text is not valid Unicode (a"
            + " broken surrogate pair at position " + i + ")");
      }
      if (Character.isLowSurrogate(c)) {
        throw new ConversionException("column " + column + ": text is not valid Unicode (a"
            + " broken surrogate pair at position " + i + ")");
      }
    }
    if (maxChars > 0 && s.length() > maxChars && s.codePointCount(0, s.length()) > maxChars) {
      throw new ConversionException("column " + column + ": text of "
          + s.codePointCount(0, s.length()) + " characters does not fit in " + maxChars);
    }
  }

  private void checkDecimal(BigDecimal d) throws ConversionException {
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

  void bind(PreparedStatement ps, int index, Object v) throws SQLException {
    if (v == null) {
      ps.setNull(index, kind == ValueKind.JSON || kind == ValueKind.OTHER || kind == ValueKind.UUID
          ? Types.OTHER : Types.NULL);
      return;
    }
    switch (kind) {
      case JSON:
      case OTHER:
        if (mysql) {
          ps.setString(index, (String) v);
        } else {
          // Untyped, so the server parses the text as the column's own type (jsonb, enum, …).
          ps.setObject(index, v, Types.OTHER);
        }
        return;
      case TIMESTAMPTZ:
        if (mysql) {
          // The session is UTC, so the instant is written as its UTC wall time.
          ps.setObject(index, ((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC)
              .toLocalDateTime());
        } else {
          ps.setObject(index, v);
        }
        return;
      case TIMESTAMP:
        ps.setObject(index, (LocalDateTime) v);
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
        ps.setObject(index, v);
    }
  }
}
