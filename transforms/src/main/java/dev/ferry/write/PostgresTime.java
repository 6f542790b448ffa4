package dev.ferry.write;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Dates and timestamps as PostgreSQL reads them in COPY text. ISO 8601 as Java prints it works
 * for years 1 to 9999; PostgreSQL also stores years after 9999 (written without Java's '+') and
 * years before 1 AD, which it writes with a " BC" suffix instead of Java's proleptic year 0,
 * -1, … (the year 44 BC is the proleptic year -43). PostgreSQL's infinite dates, which the
 * driver reads as {@code LocalDate.MAX} and {@code MIN}, are written back as infinite.
 */
final class PostgresTime {
  private PostgresTime() {}

  static String date(LocalDate d) {
    if (d.equals(LocalDate.MAX)) {
      return "infinity";
    }
    if (d.equals(LocalDate.MIN)) {
      return "-infinity";
    }
    int year = d.getYear();
    if (year >= 1 && year <= 9999) {
      return d.toString();
    }
    return yearMonthDay(d) + (year < 1 ? " BC" : "");
  }

  static String timestamp(LocalDateTime t) {
    int year = t.getYear();
    if (year >= 1 && year <= 9999) {
      return t.toString();
    }
    return yearMonthDay(t.toLocalDate()) + " " + time(t.toLocalTime()) + (year < 1 ? " BC" : "");
  }

  static String timestamptz(OffsetDateTime t) {
    OffsetDateTime utc = t.withOffsetSameInstant(ZoneOffset.UTC);
    int year = utc.getYear();
    if (year >= 1 && year <= 9999) {
      return utc.toString();
    }
    return yearMonthDay(utc.toLocalDate()) + " " + time(utc.toLocalTime()) + "+00"
        + (year < 1 ? " BC" : "");
  }

  private static String yearMonthDay(LocalDate d) {
    int year = d.getYear() < 1 ? 1 - d.getYear() : d.getYear();
    return String.format("%04d-%02d-%02d", year, d.getMonthValue(), d.getDayOfMonth());
  }

  private static String time(LocalTime t) {
    String s = t.toString();
    return s.length() == 5 ? s + ":00" : s;
  }
}
