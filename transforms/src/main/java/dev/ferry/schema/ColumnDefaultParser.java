package dev.ferry.schema;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns information_schema.COLUMNS.COLUMN_DEFAULT into a {@link ColumnDefault}. The two engines
 * spell it differently: MariaDB (10.2.7+) shows an SQL expression, quoting string literals and
 * writing {@code NULL} for a NULL default; MySQL shows literals unquoted and marks expressions with
 * {@code DEFAULT_GENERATED} in EXTRA (8.0.13+).
 */
final class ColumnDefaultParser {
  private static final Pattern BITS = Pattern.compile("(?i)b'([01]*)'");
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern CURRENT_TIMESTAMP =
      Pattern.compile("(?i)current_timestamp(\\(\\d*\\))?");
  private static final Set<String> TEMPORAL = Set.of("datetime", "timestamp");

  private ColumnDefaultParser() {}

  static Optional<ColumnDefault> mariaDb(String raw) {
    if (raw == null || raw.equalsIgnoreCase("NULL")) {
      return Optional.empty();
    }
    Matcher bits = BITS.matcher(raw);
    if (bits.matches()) {
      return Optional.of(ColumnDefault.bits(bits.group(1)));
    }
    if (raw.length() >= 2 && raw.startsWith("'") && raw.endsWith("'")) {
      return Optional.of(ColumnDefault.literal(unquote(raw.substring(1, raw.length() - 1))));
    }
    if (NUMBER.matcher(raw).matches()) {
      return Optional.of(ColumnDefault.literal(raw));
    }
    return Optional.of(ColumnDefault.expression(raw));
  }

  static Optional<ColumnDefault> mySql(String raw, String extra, String dataType) {
    if (raw == null) {
      return Optional.empty();
    }
    Matcher bits = BITS.matcher(raw);
    if (bits.matches()) {
      return Optional.of(ColumnDefault.bits(bits.group(1)));
    }
    boolean generated = extra != null && extra.toUpperCase().contains("DEFAULT_GENERATED");
    // MySQL 5.7 shows CURRENT_TIMESTAMP without the DEFAULT_GENERATED marker.
    boolean legacyNow = TEMPORAL.contains(dataType) && CURRENT_TIMESTAMP.matcher(raw).matches();
    if (generated || legacyNow) {
      return Optional.of(ColumnDefault.expression(raw));
    }
    return Optional.of(ColumnDefault.literal(raw));
  }

  /** Undoes MariaDB's quoting inside a string literal: doubled quotes and backslash escapes. */
  private static String unquote(String quoted) {
    StringBuilder out = new StringBuilder(quoted.length());
    for (int i = 0; i < quoted.length(); i++) {
      char c = quoted.charAt(i);
      if (i + 1 < quoted.length() && (c == '\\' || (c == '\'' && quoted.charAt(i + 1) == '\''))) {
        char next = quoted.charAt(++i);
        out.append(c == '\'' ? '\'' : unescape(next));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static char unescape(char escaped) {
    switch (escaped) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      default:
        return escaped;
    }
  }
}
