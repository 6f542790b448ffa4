package dev.ferry.jdbc;

import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Parses MySQL's text form of a DATETIME, {@code YYYY-MM-DD hh:mm:ss[.ffffff]}, and of a DATE,
 * {@code YYYY-MM-DD}, from the bytes of the text protocol without building a String (the String
 * and {@code LocalDate.parse} path cost a tenth of a date-heavy MariaDB read). Anything else (a
 * zero date, a value the calendar does not have, another shape) is left to the careful String
 * path, which names it.
 */
final class MySqlDatetimeText {
  private MySqlDatetimeText() {}

  /** Whether the bytes are temporal text rather than a binary-protocol value. */
  static boolean isText(byte[] b) {
    // Text starts with two digits (or '-' and a digit: a negative TIME). Binary values start
    // with the year's low byte and its high byte (at most 39 for year 9999), or a TIME's sign
    // byte (0 or 1): neither pair reads as text.
    return b.length >= 2 && (isDigit(b[0]) || b[0] == '-') && isDigit(b[1]);
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  /** The value, or null when the bytes are not a plain valid date in text form. */
  static LocalDate parseDate(byte[] b) {
    if (b.length != 10 || b[4] != '-' || b[7] != '-') {
      return null;
    }
    int year = digits(b, 0, 4);
    int month = digits(b, 5, 2);
    int day = digits(b, 8, 2);
    return validDate(year, month, day) ? LocalDate.of(year, month, day) : null;
  }

  private static boolean validDate(int year, int month, int day) {
    return year >= 1 && month >= 1 && month <= 12 && day >= 1
        && (day <= 28 || day <= lastDay(year, month));
  }

  /** The value, or null when the bytes are not a plain valid datetime in text form. */
  static LocalDateTime parse(byte[] b) {
    int n = b.length;
    if (n < 19 || n == 20 || n > 26 || b[4] != '-' || b[7] != '-' || b[10] != ' '
        || b[13] != ':' || b[16] != ':') {
      return null;
    }
    int year = digits(b, 0, 4);
    int month = digits(b, 5, 2);
    int day = digits(b, 8, 2);
    int hour = digits(b, 11, 2);
    int minute = digits(b, 14, 2);
    int second = digits(b, 17, 2);
    int nanos = 0;
    if (n > 19) {
      if (b[19] != '.') {
        return null;
      }
      int fraction = digits(b, 20, n - 20);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = n - 20; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (!validDate(year, month, day) || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59) {
      return null;
    }
    return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
  }

  private static int lastDay(int year, int month) {
    return java.time.YearMonth.of(year, month).lengthOfMonth();
  }

  /** The decimal number in {@code b[from, from + len)}, or -1 if any byte is not a digit. */
  private static int digits(byte[] b, int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
