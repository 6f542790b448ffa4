package dev.ferry.schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Translates a MySQL column DEFAULT into PostgreSQL syntax for the column's new type. A default
 * that cannot be translated faithfully is dropped and reported, never guessed: a wrong default
 * would silently corrupt every later insert.
 */
final class DefaultTranslator {
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern DATE_START = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2}).*");
  private static final Pattern NOW =
      Pattern.compile("(current_timestamp|now|localtime|localtimestamp)(\\(\\d*\\))?");
  private static final Pattern TODAY = Pattern.compile("(curdate|current_date)(\\(\\))?");
  private static final Pattern TIME_NOW = Pattern.compile("(curtime|current_time)(\\(\\d*\\))?");
  private static final List<String> ZERO_DATE_SOURCES = List.of("date", "datetime", "timestamp");

  private final MappingOptions options;
  private final Report.Builder report;

  DefaultTranslator(MappingOptions options, Report.Builder report) {
    this.options = options;
    this.report = report;
  }

  /** Whether the column's default is a MySQL zero date, such as {@code 0000-00-00}. */
  static boolean hasZeroDateDefault(ColumnDef column) {
    return ZERO_DATE_SOURCES.contains(column.dataType())
        && column
            .defaultValue()
            .filter(d -> d.kind() == ColumnDefault.Kind.LITERAL)
            .map(d -> isZeroDate(d.text()))
            .orElse(false);
  }

  private static boolean isZeroDate(String text) {
    Matcher m = DATE_START.matcher(text);
    return m.matches()
        && (Integer.parseInt(m.group(1)) == 0
            || Integer.parseInt(m.group(2)) == 0
            || Integer.parseInt(m.group(3)) == 0);
  }

  /** The PostgreSQL DEFAULT expression for the column, or empty when it has none or it dropped. */
  Optional<String> translate(TableDef table, ColumnDef column, PostgresType type) {
    if (column.defaultValue().isEmpty()) {
      return Optional.empty();
    }
    ColumnDefault value = column.defaultValue().get();
    Optional<String> translated;
    switch (value.kind()) {
      case BITS:
        translated = bits(value.text(), type);
        break;
      case EXPRESSION:
        translated = expression(value.text(), type);
        break;
      default:
        if (hasZeroDateDefault(column)) {
          report.column(
              WarningKind.ZERO_DATE_DEFAULT,
              table,
              column,
              "zero-date default '" + value.text() + "' dropped: zero dates load as NULL");
          return Optional.empty();
        }
        translated = literal(value.text(), column, type);
    }
    if (translated.isEmpty() && !isNull(value)) {
      report.column(
          WarningKind.DEFAULT_DROPPED,
          table,
          column,
          "default " + describe(value) + " has no translation to " + type.sql() + "; dropped");
    }
    return translated;
  }

  private static boolean isNull(ColumnDefault value) {
    return value.kind() == ColumnDefault.Kind.EXPRESSION && value.text().equalsIgnoreCase("null");
  }

  private static String describe(ColumnDefault value) {
    switch (value.kind()) {
      case BITS:
        return "b'" + value.text() + "'";
      case EXPRESSION:
        return value.text();
      default:
        return "'" + value.text() + "'";
    }
  }

  private Optional<String> literal(String text, ColumnDef column, PostgresType type) {
    if (type.is("boolean")) {
      return number(text).map(n -> n.signum() == 0 ? "false" : "true");
    }
    if (type.isNumber()) {
      return number(text).map(n -> text.trim());
    }
    if (type.is("bit", "varbit")) {
      return number(text).map(n -> bitString(n.toBigInteger().toString(2), type));
    }
    if (type.array()) {
      return Optional.of(array(text));
    }
    if (type.is("bytea")) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      return Optional.of("'\\x" + HexFormat.of().formatHex(bytes) + "'::bytea");
    }
    if (type.is("json", "jsonb")) {
      return Optional.of(quote(text) + "::" + type.base());
    }
    if (type.is("timestamptz") && column.dataType().matches("datetime|timestamp")) {
      return Optional.of(quote(withSourceZone(text)));
    }
    return Optional.of(quote(text));
  }

  private Optional<String> bits(String digits, PostgresType type) {
    if (type.is("boolean")) {
      return Optional.of(digits.contains("1") ? "true" : "false");
    }
    if (type.is("bit", "varbit")) {
      return Optional.of(bitString(digits, type));
    }
    if (type.isNumber()) {
      return Optional.of(digits.isEmpty() ? "0" : new BigInteger(digits, 2).toString());
    }
    return Optional.empty();
  }

  private static Optional<String> expression(String text, PostgresType type) {
    String call = text.trim().toLowerCase(Locale.ROOT);
    while (call.startsWith("(") && call.endsWith(")")) {
      call = call.substring(1, call.length() - 1).trim();
    }
    if (NOW.matcher(call).matches()) {
      if (type.is("timestamp", "timestamptz")) {
        return Optional.of("CURRENT_TIMESTAMP");
      }
      if (type.is("date")) {
        return Optional.of("CURRENT_DATE");
      }
    }
    if (TODAY.matcher(call).matches() && type.is("date", "timestamp", "timestamptz")) {
      return Optional.of("CURRENT_DATE");
    }
    if ((NOW.matcher(call).matches() || TIME_NOW.matcher(call).matches()) && type.is("time")) {
      return Optional.of("LOCALTIME");
    }
    if (call.equals("uuid()")) {
      if (type.is("uuid")) {
        return Optional.of("gen_random_uuid()");
      }
      if (type.isTextual()) {
        return Optional.of("gen_random_uuid()::text");
      }
    }
    return Optional.empty();
  }

  /** A DATETIME literal read in the source zone, written with its offset for timestamptz. */
  private String withSourceZone(String text) {
    try {
      LocalDateTime local = LocalDateTime.parse(text.trim().replace(' ', 'T'));
      return local
          .atZone(options.sourceZone())
          .toOffsetDateTime()
          .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      return text;
    }
  }

  /** {@code B'0101'}, left-padded to the declared length, which PostgreSQL insists on. */
  private static String bitString(String digits, PostgresType type) {
    StringBuilder bits = new StringBuilder(digits);
    if (type.is("bit") && !type.arguments().isEmpty()) {
      int length = Integer.parseInt(type.arguments().get(0));
      while (bits.length() < length) {
        bits.insert(0, '0');
      }
    }
    return "B'" + bits + "'";
  }

  /** A SET default {@code 'a,b'} as a text array; MySQL SET labels cannot contain commas. */
  private static String array(String text) {
    if (text.isEmpty()) {
      return "'{}'::text[]";
    }
    return List.of(text.split(",")).stream()
        .map(DefaultTranslator::quote)
        .collect(Collectors.joining(", ", "ARRAY[", "]::text[]"));
  }

  private static Optional<BigDecimal> number(String text) {
    return NUMBER.matcher(text.trim()).matches()
        ? Optional.of(new BigDecimal(text.trim()))
        : Optional.empty();
  }

  /** A standard SQL string literal; PostgreSQL's standard_conforming_strings keeps \ literal. */
  static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
