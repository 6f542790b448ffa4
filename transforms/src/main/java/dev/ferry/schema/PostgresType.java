package dev.ferry.schema;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A rendered PostgreSQL type such as {@code varchar(40)} or {@code text[]}, reduced to a canonical
 * base name ({@code varchar}) so that defaults and conversions can be chosen by kind whichever
 * spelling a rules file used ({@code int4}, {@code character varying}, ...).
 *
 * @param sql the type as it goes into the DDL
 * @param base the canonical name without arguments or array brackets
 * @param array whether the type is an array
 * @param arguments the arguments in parentheses, {@code ["10", "2"]} for {@code numeric(10,2)}
 */
record PostgresType(String sql, String base, boolean array, List<String> arguments) {
  private static final Map<String, String> ALIASES =
      Map.ofEntries(
          Map.entry("int", "integer"),
          Map.entry("int4", "integer"),
          Map.entry("int2", "smallint"),
          Map.entry("int8", "bigint"),
          Map.entry("bool", "boolean"),
          Map.entry("float4", "real"),
          Map.entry("float8", "double precision"),
          Map.entry("decimal", "numeric"),
          Map.entry("character varying", "varchar"),
          Map.entry("character", "char"),
          Map.entry("bpchar", "char"),
          Map.entry("bit varying", "varbit"),
          Map.entry("timestamp with time zone", "timestamptz"),
          Map.entry("timestamp without time zone", "timestamp"),
          Map.entry("time with time zone", "timetz"),
          Map.entry("time without time zone", "time"));

  static PostgresType of(String sql) {
    String type = sql.trim();
    boolean array = type.endsWith("[]");
    if (array) {
      type = type.substring(0, type.length() - 2).trim();
    }
    List<String> arguments = ColumnTypeParser.arguments(type);
    String base = type.startsWith("\"") ? type : canonical(type);
    return new PostgresType(sql, base, array, arguments);
  }

  private static String canonical(String type) {
    String name =
        type.replaceAll("\\([^)]*\\)", " ").replaceAll("\\s+", " ").trim().toLowerCase(Locale.ROOT);
    return ALIASES.getOrDefault(name, name);
  }

  /** Whether the (non-array) type's base is one of {@code bases}. */
  boolean is(String... bases) {
    return !array && List.of(bases).contains(base);
  }

  boolean isInteger() {
    return is("smallint", "integer", "bigint");
  }

  boolean isNumber() {
    return isInteger() || is("numeric", "real", "double precision");
  }

  boolean isTextual() {
    return is("text", "varchar", "char", "citext", "name");
  }
}
