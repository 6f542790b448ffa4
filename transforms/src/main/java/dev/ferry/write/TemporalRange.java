package dev.ferry.write;

import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.ConversionException;
import dev.ferry.record.ValueKind;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The dates and fractional seconds a target column holds. A value outside them is refused with
 * the column's range in the message: the server would reject it, or round it in silence.
 */
final class TemporalRange implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String column;
  private final ValueKind kind;
  private final String typeName;
  private final boolean mysql;
  /** Fractional-second digits the column keeps, or -1 when not a time type. */
  private final int fractionDigits;

  TemporalRange(Column c, ValueKind kind, Dialect dialect) {
    this.column = c.name();
    this.kind = kind;
    this.typeName = c.typeName();
    this.mysql = dialect == Dialect.MYSQL;
    this.fractionDigits = fractionDigits(c, kind, dialect);
  }

  private static int fractionDigits(Column c, ValueKind kind, Dialect dialect) {
    if (kind != ValueKind.TIMESTAMP && kind != ValueKind.TIMESTAMPTZ && kind != ValueKind.TIME) {
      return -1;
    }
    if (dialect == Dialect.MYSQL) {
      // The driver reports the display width: 19 for DATETIME, 19 + 1 + n for DATETIME(n);
      // 10 for TIME, 10 + 1 + n for TIME(n).
      int whole = kind == ValueKind.TIME ? 10 : 19;
      return c.size() > whole + 1 ? Math.min(6, c.size() - whole - 1) : 0;
    }
    return c.scale() >= 0 && c.scale() <= 6 ? c.scale() : 6;
  }

  static final LocalDate MYSQL_MIN_DATE = LocalDate.of(1, 1, 1);
  static final LocalDate MYSQL_MAX_DATE = LocalDate.of(9999, 12, 31);
  static final java.time.Instant MYSQL_MIN_TIMESTAMP =
      java.time.Instant.parse("1970-01-01T00:00:01Z");
  static final java.time.Instant MYSQL_MAX_TIMESTAMP =
      java.time.Instant.parse("2038-01-19T03:14:07.999999Z");
  static final LocalDate PG_MIN_DATE = LocalDate.of(-4713, 11, 24);
  static final LocalDate PG_MAX_DATE = LocalDate.of(5874897, 12, 31);
  static final LocalDate PG_MAX_TIMESTAMP_DATE = LocalDate.of(294276, 12, 31);

  /** Dates in the column's range; no more fractional-second digits than it keeps. */
  void check(Object v) throws ConversionException {
    LocalDate date = null;
    int nanos = -1;
    if (v instanceof LocalDate) {
      date = (LocalDate) v;
    } else if (v instanceof LocalDateTime) {
      date = ((LocalDateTime) v).toLocalDate();
      nanos = ((LocalDateTime) v).getNano();
    } else if (v instanceof OffsetDateTime) {
      OffsetDateTime t = ((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC);
      if (mysql && kind == ValueKind.TIMESTAMPTZ && (t.toInstant().isBefore(MYSQL_MIN_TIMESTAMP)
          || t.toInstant().isAfter(MYSQL_MAX_TIMESTAMP))) {
        throw new ConversionException("column " + column + ": " + v + " is outside the range"
            + " a MySQL/MariaDB TIMESTAMP holds (1970-01-01 00:00:01 to 2038-01-19 03:14:07 UTC)");
      }
      date = t.toLocalDate();
      nanos = t.getNano();
    } else if (v instanceof LocalTime) {
      nanos = ((LocalTime) v).getNano();
    }
    if (date != null && kind == ValueKind.DATE
        && (date.equals(LocalDate.MAX) || date.equals(LocalDate.MIN))) {
      // PostgreSQL's infinite dates (read as LocalDate.MAX and MIN)
      if (mysql) {
        throw new ConversionException("column " + column + ": the date '"
            + (date.equals(LocalDate.MAX) ? "infinity" : "-infinity") + "' has no equivalent in"
            + " a MySQL/MariaDB " + typeName + " column");
      }
      return;
    }
    if (date != null) {
      LocalDate min = mysql ? MYSQL_MIN_DATE : PG_MIN_DATE;
      LocalDate max = mysql ? MYSQL_MAX_DATE
          : kind == ValueKind.DATE ? PG_MAX_DATE : PG_MAX_TIMESTAMP_DATE;
      if (date.isBefore(min) || date.isAfter(max)) {
        throw new ConversionException("column " + column + ": " + describe(date) + " is outside"
            + " the range a " + (mysql ? "MySQL/MariaDB " : "PostgreSQL ") + typeName
            + " column holds (" + describe(min) + " to " + describe(max) + ")");
      }
    }
    if (nanos > 0 && fractionDigits >= 0) {
      int unit = (int) Math.pow(10, 9 - fractionDigits);
      if (nanos % unit != 0) {
        throw new ConversionException("column " + column + ": " + v + " has more"
            + " fractional-second digits than the column keeps (" + fractionDigits
            + "); the target would round it");
      }
    }
  }

  /** A date as people write it: 0044-03-15 BC rather than Java's proleptic -0043-03-15. */
  private static String describe(LocalDate d) {
    int year = d.getYear();
    return String.format("%04d-%02d-%02d%s", year >= 1 ? year : 1 - year, d.getMonthValue(),
        d.getDayOfMonth(), year >= 1 ? "" : " BC");
  }
}
