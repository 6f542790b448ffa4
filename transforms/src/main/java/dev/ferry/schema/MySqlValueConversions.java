package dev.ferry.schema;

import dev.ferry.jdbc.Dialect;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The conversions of {@link ConversionNeed} that must happen while MySQL reads a value, written as
 * SQL expressions for a source query. By the time a value reaches a mapping it is too late for
 * them: the driver hands over a SET as the text {@code a,b}, a geometry with MySQL's SRID prefix in
 * front of the WKB, and a {@code bit(5)} value as a single byte that ferry's reader takes for a
 * boolean.
 *
 * <ul>
 *   <li>{@link ConversionNeed#SET_TO_ARRAY}: {@code 'a,c d'} becomes the array literal {@code
 *       {a,"c d"}}, quoted as PostgreSQL prints arrays; an empty SET becomes {@code {}};
 *   <li>{@link ConversionNeed#GEOMETRY_WKB} / {@link ConversionNeed#GEOMETRY_WKT}: {@code
 *       ST_AsBinary(col)} / {@code ST_AsText(col)};
 *   <li>{@link ConversionNeed#BIT_STRING}: the bits as text of exactly n digits, {@code 00101};
 *   <li>{@link ConversionNeed#TO_BOOLEAN} from numbers other than {@code tinyint(1)} and {@code
 *       bit(1)} (which the driver already returns as booleans): {@code col <> 0}, so that 2 is true
 *       as the type-mapping documents, rather than rejected;
 *   <li>{@link ConversionNeed#SOURCE_ZONE} from TIMESTAMP to a zone-less target: the instant as
 *       wall time of the source zone, {@code CONVERT_TZ(col, '+00:00', zone)} (ferry's MySQL
 *       sessions are UTC).
 * </ul>
 *
 * <p>The other needs are met without SQL: zero dates by the backfill's {@code zeroDates: null},
 * DATETIME to timestamptz by the mapping's {@code fromZone}, unsigned BIGINT and YEAR by ferry's
 * readers (BigDecimal; {@code yearIsDateType=false}), text-typed targets and TIME ranges by the
 * writer's binding and checks.
 */
public final class MySqlValueConversions {
  private static final Dialect MYSQL = Dialect.MYSQL;
  private static final Set<String> NUMERIC_TYPES =
      Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "bit");
  private static final Set<String> DRIVER_BOOLEANS = Set.of("tinyint(1)", "bit(1)");

  private MySqlValueConversions() {}

  /**
   * The query that reads {@code table} with every column converted as it needs, columns in source
   * order and under their source names; empty when every column can be read as it is, so the
   * table is read directly.
   */
  public static Optional<String> sourceQuery(TableConversion table) {
    List<String> select = new ArrayList<>();
    boolean converted = false;
    for (ColumnConversion column : table.columns()) {
      Optional<String> expression = expression(column);
      String name = MYSQL.quote(column.sourceColumn());
      select.add(expression.map(e -> e + " AS " + name).orElse(name));
      converted |= expression.isPresent();
    }
    if (!converted) {
      return Optional.empty();
    }
    return Optional.of(
        "SELECT " + String.join(", ", select) + " FROM " + MYSQL.quote(table.sourceTable()));
  }

  /** The SQL expression that reads one column converted, or empty when it is read as it is. */
  public static Optional<String> expression(ColumnConversion column) {
    String col = MYSQL.quote(column.sourceColumn());
    if (column.needs(ConversionNeed.SET_TO_ARRAY)) {
      return Optional.of(setToArray(col, column.labels()));
    }
    if (column.needs(ConversionNeed.GEOMETRY_WKB)) {
      return Optional.of("ST_AsBinary(" + col + ")");
    }
    if (column.needs(ConversionNeed.GEOMETRY_WKT)) {
      return Optional.of("ST_AsText(" + col + ")");
    }
    if (column.needs(ConversionNeed.BIT_STRING)) {
      return Optional.of("LPAD(BIN(" + col + "), " + bitLength(column) + ", '0')");
    }
    if (column.needs(ConversionNeed.TO_BOOLEAN) && needsNumericTest(column)) {
      return Optional.of("(" + col + " <> 0)");
    }
    if (column.needs(ConversionNeed.SOURCE_ZONE) && baseType(column).equals("timestamp")) {
      String zone = zoneArgument(column.sourceZone().orElseThrow());
      return Optional.of("CONVERT_TZ(" + col + ", '+00:00', '" + zone + "')");
    }
    return Optional.empty();
  }

  /**
   * The zone as MySQL's CONVERT_TZ takes it: an offset such as {@code +02:00}, or a region name,
   * which the server only knows when its time zone tables are loaded; check with {@link
   * #zoneCheckQuery}.
   */
  public static String zoneArgument(ZoneId zone) {
    ZoneId normalized = zone.normalized();
    if (normalized instanceof ZoneOffset) {
      return normalized.equals(ZoneOffset.UTC) ? "+00:00" : normalized.getId();
    }
    return zone.getId();
  }

  /**
   * A query that returns NULL when the server cannot convert into {@code zone} (its time zone
   * tables are not loaded), in which case CONVERT_TZ would silently read every value as NULL.
   */
  public static String zoneCheckQuery(ZoneId zone) {
    return "SELECT CONVERT_TZ('2000-01-01 00:00:00', '+00:00', '" + zoneArgument(zone) + "')";
  }

  /** Whether any column of {@code table} is read through CONVERT_TZ into {@code sourceZone}. */
  public static boolean convertsTimeZones(TableConversion table) {
    return table.columns().stream()
        .anyMatch(
            c -> c.needs(ConversionNeed.SOURCE_ZONE) && baseType(c).equals("timestamp"));
  }

  /**
   * The array literal exactly as PostgreSQL prints a {@code text[]}: elements quoted only where
   * its syntax needs it, so that the copied value and the target's own text agree character for
   * character (a reconcile compares them as text). A SET's labels cannot contain commas, so each
   * element between commas is a whole label, and a label that needs quotes is replaced with its
   * quoted form. The labels go into the SQL as hex literals: no quote or backslash in a label can
   * change the statement, whatever the server's sql_mode. NULL stays NULL through CONCAT.
   */
  private static String setToArray(String col, List<String> labels) {
    List<String> quoted =
        labels.stream().filter(l -> !l.isEmpty() && !arrayElement(l).equals(l)).toList();
    if (quoted.isEmpty()) {
      return "CONCAT('{', " + col + ", '}')";
    }
    // With a comma at both ends every element, the first and the last too, reads ",label,".
    String elements = "CONCAT(',', " + col + ", ',')";
    for (String label : quoted) {
      elements = "REPLACE(" + elements + ", " + text("," + label + ",") + ", "
          + text("," + arrayElement(label) + ",") + ")";
    }
    return "CONCAT('{', TRIM(BOTH ',' FROM " + elements + "), '}')";
  }

  /** One element as PostgreSQL's array output writes it (array_out's quoting rules). */
  static String arrayElement(String value) {
    boolean quote = value.isEmpty() || value.equalsIgnoreCase("NULL");
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == '"' || c == '\\' || c == '{' || c == '}' || c == ','
          || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }
    if (!quote) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** A string literal that holds any text: hex digits of its UTF-8 bytes. */
  private static String text(String value) {
    return "_utf8mb4 X'" + HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8)) + "'";
  }

  private static int bitLength(ColumnConversion column) {
    List<String> arguments = ColumnTypeParser.arguments(column.sourceType());
    return arguments.isEmpty() ? 1 : Integer.parseInt(arguments.get(0));
  }

  private static boolean needsNumericTest(ColumnConversion column) {
    String type = column.sourceType().trim().toLowerCase(Locale.ROOT);
    return NUMERIC_TYPES.contains(baseType(column)) && !DRIVER_BOOLEANS.contains(type);
  }

  /** DATA_TYPE from COLUMN_TYPE: the word before any arguments or attributes. */
  private static String baseType(ColumnConversion column) {
    String type = column.sourceType().trim().toLowerCase(Locale.ROOT);
    int end = 0;
    while (end < type.length() && Character.isLetter(type.charAt(end))) {
      end++;
    }
    return type.substring(0, end);
  }
}
