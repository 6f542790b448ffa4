package dev.ferry.schema;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One source column as information_schema.COLUMNS describes it.
 *
 * @param name the column name, exactly as the source spells it
 * @param dataType DATA_TYPE in lower case, for example {@code int}; MariaDB's JSON columns (stored
 *     as {@code longtext} with a {@code json_valid} check) are reported as {@code json}
 * @param columnType the full COLUMN_TYPE, for example {@code int(10) unsigned zerofill} or {@code
 *     enum('a','b')}; not lower-cased because enum labels are case-sensitive
 * @param nullable whether the column accepts NULL
 * @param defaultValue the declared DEFAULT, absent when there is none or it is NULL
 * @param extra EXTRA, for example {@code auto_increment} or {@code on update current_timestamp()}
 * @param charset the character set of a character column
 * @param collation the collation of a character column
 */
public record ColumnDef(
    String name,
    String dataType,
    String columnType,
    boolean nullable,
    Optional<ColumnDefault> defaultValue,
    String extra,
    Optional<String> charset,
    Optional<String> collation) {

  private static final Pattern UNSIGNED = Pattern.compile("(?i)\\bunsigned\\b");
  private static final Pattern ZEROFILL = Pattern.compile("(?i)\\bzerofill\\b");
  private static final Pattern AUTO_INCREMENT = Pattern.compile("(?i)\\bauto_increment\\b");
  private static final Pattern ON_UPDATE = Pattern.compile("(?i)\\bon update current_timestamp");
  private static final Pattern GENERATED =
      Pattern.compile("(?i)\\b(virtual|stored|persistent) generated\\b");

  public ColumnDef {
    Objects.requireNonNull(name, "name");
    dataType = Objects.requireNonNull(dataType, "dataType").toLowerCase(Locale.ROOT);
    Objects.requireNonNull(columnType, "columnType");
    Objects.requireNonNull(defaultValue, "defaultValue");
    extra = extra == null ? "" : extra;
    Objects.requireNonNull(charset, "charset");
    Objects.requireNonNull(collation, "collation");
  }

  public boolean unsigned() {
    return UNSIGNED.matcher(columnType).find();
  }

  /** ZEROFILL only pads the number when MySQL displays it. */
  public boolean zerofill() {
    return ZEROFILL.matcher(columnType).find();
  }

  public boolean autoIncrement() {
    return AUTO_INCREMENT.matcher(extra).find();
  }

  /** Whether MySQL sets the column to the current time whenever the row changes. */
  public boolean onUpdateCurrentTimestamp() {
    return ON_UPDATE.matcher(extra).find();
  }

  /** Whether the column is computed from an expression (VIRTUAL or STORED). */
  public boolean generated() {
    return GENERATED.matcher(extra).find();
  }

  /** The arguments of the column type, {@code ["10", "2"]} for {@code decimal(10,2)}. */
  public List<String> typeArguments() {
    return isEnumOrSet() ? List.of() : ColumnTypeParser.arguments(columnType);
  }

  /** The labels of an ENUM or SET column in declaration order; empty for other types. */
  public List<String> labels() {
    return isEnumOrSet() ? ColumnTypeParser.labels(columnType) : List.of();
  }

  private boolean isEnumOrSet() {
    return dataType.equals("enum") || dataType.equals("set");
  }

  /** This column as a JSON column, for MariaDB's longtext-with-json_valid spelling of JSON. */
  ColumnDef asJson() {
    return new ColumnDef(name, "json", "json", nullable, defaultValue, extra, charset, collation);
  }
}
