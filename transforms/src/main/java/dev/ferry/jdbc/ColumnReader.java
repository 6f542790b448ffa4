package dev.ferry.jdbc;

import dev.ferry.record.Column;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Fetches one column of the current row as a ferry value (see {@link dev.ferry.record.ValueCodec}
 * for the kinds). Chosen once per column from the result set's metadata, so the per-row work is
 * a single typed getter.
 *
 * <p>MySQL temporal values are fetched as text and parsed here: the driver either fails the whole
 * read on a zero date ('0000-00-00') or turns it into NULL silently, and neither is acceptable;
 * ferry reports zero dates as {@link ZeroDateException} so the row can be dead-lettered or
 * converted by an explicit rule.
 */
public interface ColumnReader extends Serializable {
  Object read(ResultSet rs, int index) throws SQLException;

  /** A value that cannot be represented: names the raw text and why. */
  final class UnreadableValueException extends SQLException {
    private static final long serialVersionUID = 1L;

    public UnreadableValueException(String message) {
      super(message, "22007");
    }
  }

  /** A MySQL zero or partly-zero date such as '0000-00-00' or '2024-00-15'. */
  final class ZeroDateException extends SQLException {
    private static final long serialVersionUID = 1L;

    public ZeroDateException(String raw) {
      super("zero date '" + raw + "' has no calendar equivalent", "22007");
    }
  }

  static ColumnReader[] forResultSet(ResultSetMetaData md, Dialect dialect) throws SQLException {
    ColumnReader[] readers = new ColumnReader[md.getColumnCount()];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = forColumn(md.getColumnType(i + 1), md.getColumnTypeName(i + 1), dialect);
    }
    return readers;
  }

  /** A reader per column, in order, for columns described ahead of the query. */
  static ColumnReader[] forColumns(List<Column> columns, Dialect dialect) {
    ColumnReader[] readers = new ColumnReader[columns.size()];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = forColumn(columns.get(i).jdbcType(), columns.get(i).typeName(), dialect);
    }
    return readers;
  }

  static ColumnReader forColumn(int jdbcType, String typeName, Dialect dialect) {
    String type = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
    boolean mysql = dialect == Dialect.MYSQL;
    switch (jdbcType) {
      case Types.BIT:
      case Types.BOOLEAN:
        if (mysql && type.equals("bit")) {
          return ColumnReaders::bits;
        }
        if (!mysql && type.equals("bit")) {
          return ColumnReaders::string;
        }
        return ColumnReaders::bool;
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
        return ColumnReaders::integer;
      case Types.BIGINT:
        return type.contains("unsigned") ? ColumnReaders::decimal : ColumnReaders::integer;
      case Types.REAL:
        return ColumnReaders::real;
      case Types.FLOAT:
      case Types.DOUBLE:
        return ColumnReaders::dbl;
      case Types.NUMERIC:
      case Types.DECIMAL:
        return ColumnReaders::decimal;
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
      case Types.BLOB:
        return ColumnReaders::bytes;
      case Types.DATE:
        return mysql ? ColumnReaders::mysqlDate : ColumnReaders::date;
      case Types.TIME:
      case Types.TIME_WITH_TIMEZONE:
        return mysql ? ColumnReaders::mysqlTime : ColumnReaders::time;
      case Types.TIMESTAMP:
        if (mysql) {
          // TIMESTAMP columns hold instants (read in the UTC session); DATETIME is zone-less.
          return type.equals("timestamp") ? ColumnReaders::mysqlTimestamp : ColumnReaders::mysqlDatetime;
        }
        return type.equals("timestamptz") ? ColumnReaders::timestamptz : ColumnReaders::timestamp;
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return ColumnReaders::timestamptz;
      case Types.OTHER:
        return type.equals("uuid") ? ColumnReaders::uuid : ColumnReaders::string;
      default:
        return ColumnReaders::string;
    }
  }

  /** The getters behind {@link ColumnReader}; method references keep them serializable. */
  final class ColumnReaders {
    private ColumnReaders() {}

    static Object bool(ResultSet rs, int i) throws SQLException {
      boolean v = rs.getBoolean(i);
      return rs.wasNull() ? null : v;
    }

    /**
     * MySQL BIT(1) and tinyint(1) (MySQL's BOOLEAN, which it reports as BIT(1) too) as a
     * Boolean, BIT(n > 1) as its n binary digits, most significant first ({@code 00000101} for
     * b'101' in a BIT(8)): the text PostgreSQL's {@code bit(n)} takes and MySQL's
     * {@code LPAD(BIN(v), n, '0')} shows. The driver's Boolean is true only for -1 and values
     * above 0, so a tinyint(1) holding -128 would read as false; the flag is taken from the
     * number instead, true when not 0, as MySQL's own {@code IF(v, …)} has it.
     */
    static Object bits(ResultSet rs, int i) throws SQLException {
      Object v = rs.getObject(i);
      if (v instanceof Boolean) {
        return rs.getLong(i) != 0;
      }
      if (!(v instanceof byte[])) {
        return v;
      }
      byte[] bytes = (byte[]) v;
      int n = rs.getMetaData().getPrecision(i);
      if (n < 1 || n > bytes.length * 8) {
        n = bytes.length * 8;
      }
      StringBuilder digits = new StringBuilder(n);
      for (int bit = n - 1; bit >= 0; bit--) {
        int b = bytes[bytes.length - 1 - bit / 8];
        digits.append((b >> (bit % 8) & 1) == 1 ? '1' : '0');
      }
      return digits.toString();
    }

    static Object integer(ResultSet rs, int i) throws SQLException {
      long v = rs.getLong(i);
      return rs.wasNull() ? null : v;
    }

    static Object real(ResultSet rs, int i) throws SQLException {
      float v = rs.getFloat(i);
      return rs.wasNull() ? null : v;
    }

    static Object dbl(ResultSet rs, int i) throws SQLException {
      double v = rs.getDouble(i);
      return rs.wasNull() ? null : v;
    }

    static Object decimal(ResultSet rs, int i) throws SQLException {
      try {
        return rs.getBigDecimal(i);
      } catch (SQLException e) {
        // PostgreSQL numeric may hold NaN, which BigDecimal cannot.
        String raw = rs.getString(i);
        throw new UnreadableValueException("numeric value '" + raw + "' is not a finite number");
      }
    }

    static Object string(ResultSet rs, int i) throws SQLException {
      return rs.getString(i);
    }

    static Object bytes(ResultSet rs, int i) throws SQLException {
      return rs.getBytes(i);
    }

    static Object uuid(ResultSet rs, int i) throws SQLException {
      return rs.getObject(i, UUID.class);
    }

    static Object date(ResultSet rs, int i) throws SQLException {
      LocalDate v;
      try {
        v = rs.getObject(i, LocalDate.class);
      } catch (SQLException e) {
        throw new UnreadableValueException("date '" + rs.getString(i) + "' cannot be read");
      }
      // PostgreSQL's 'infinity' and '-infinity' arrive as LocalDate.MAX and MIN; the writer
      // writes them back as such to PostgreSQL and rejects them for MySQL/MariaDB.
      return v;
    }

    static Object time(ResultSet rs, int i) throws SQLException {
      LocalTime v;
      try {
        v = rs.getObject(i, LocalTime.class);
      } catch (SQLException e) {
        throw new UnreadableValueException("time '" + rs.getString(i) + "' cannot be read");
      }
      if (v != null && v.equals(LocalTime.MAX)) {
        // PostgreSQL's time '24:00:00' arrives as 23:59:59.999999999: not the same value.
        String raw = rs.getString(i);
        if (raw != null && raw.startsWith("24:")) {
          throw new UnreadableValueException("time '" + raw + "' (end of day) has no equivalent"
              + " in a time of day that ends at 23:59:59.999999");
        }
      }
      return v;
    }

    static Object timestamp(ResultSet rs, int i) throws SQLException {
      LocalDateTime v = rs.getObject(i, LocalDateTime.class);
      if (v != null && (v.equals(LocalDateTime.MAX) || v.equals(LocalDateTime.MIN))) {
        throw new UnreadableValueException("timestamp '" + rs.getString(i) + "' is infinite");
      }
      return v;
    }

    static Object timestamptz(ResultSet rs, int i) throws SQLException {
      OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
      if (v == null) {
        return null;
      }
      if (v.equals(OffsetDateTime.MAX) || v.equals(OffsetDateTime.MIN)) {
        throw new UnreadableValueException("timestamptz '" + rs.getString(i) + "' is infinite");
      }
      return v.withOffsetSameInstant(ZoneOffset.UTC);
    }

    static Object mysqlDate(ResultSet rs, int i) throws SQLException {
      byte[] bytes = rs.getBytes(i);
      if (bytes == null) {
        return null;
      }
      LocalDate parsed = MySqlDatetimeText.parseDate(bytes);
      if (parsed != null) {
        return parsed;
      }
      String raw = mysqlTemporalText(rs, i, bytes);
      if (isZeroDate(raw)) {
        throw new ZeroDateException(raw);
      }
      return LocalDate.parse(raw);
    }

    static Object mysqlDatetime(ResultSet rs, int i) throws SQLException {
      byte[] raw = rs.getBytes(i);
      if (raw == null) {
        return null;
      }
      LocalDateTime parsed = MySqlDatetimeText.parse(raw);
      if (parsed != null) {
        return parsed;
      }
      return parseMysqlDatetime(mysqlTemporalText(rs, i, raw));
    }

    static Object mysqlTimestamp(ResultSet rs, int i) throws SQLException {
      Object local = mysqlDatetime(rs, i);
      return local == null ? null : ((LocalDateTime) local).atOffset(ZoneOffset.UTC);
    }

    static Object mysqlTime(ResultSet rs, int i) throws SQLException {
      byte[] raw = rs.getBytes(i);
      return raw == null ? null : mysqlTemporalText(rs, i, raw);
    }

    /**
     * A temporal value's text. Connector/J's getString formats temporal values anew with
     * String.format, which cost a third of a MariaDB read; the text protocol's own bytes are
     * already that text. Rows of the binary protocol (server-side cursors) go through getString.
     * {@code raw} is the column's bytes, already fetched by the caller.
     */
    private static String mysqlTemporalText(ResultSet rs, int i, byte[] raw) throws SQLException {
      if (MySqlDatetimeText.isText(raw)) {
        return new String(raw, java.nio.charset.StandardCharsets.US_ASCII);
      }
      return rs.getString(i);
    }

    static LocalDateTime parseMysqlDatetime(String raw) throws SQLException {
      if (isZeroDate(raw)) {
        throw new ZeroDateException(raw);
      }
      try {
        return LocalDateTime.parse(raw.replace(' ', 'T'));
      } catch (java.time.format.DateTimeParseException e) {
        throw new UnreadableValueException("datetime '" + raw + "' cannot be parsed");
      }
    }

    static boolean isZeroDate(String raw) {
      return raw.startsWith("0000-") || raw.startsWith("-", 4) && (raw.startsWith("00", 5)
          || raw.length() >= 10 && raw.startsWith("00", 8));
    }
  }
}
