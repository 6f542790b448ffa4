package dev.ferry.schema;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One type-mapping rule: the source columns it applies to and the PostgreSQL type they get.
 *
 * <p>The target may hold placeholders: {@code {length}}, {@code {precision}} and {@code {fsp}} are
 * the first argument of the column type ({@code varchar(40)}, {@code decimal(10,2)}, {@code
 * datetime(3)}), {@code {scale}} the second (0 when absent), {@code {datetime}} is {@code
 * timestamp} or {@code timestamptz} and {@code {enum}} is {@code text} or a PostgreSQL enum type,
 * both chosen by {@link MappingOptions}.
 *
 * @param name a short description, used in error messages
 * @param when which columns the rule applies to
 * @param to the PostgreSQL type, possibly with placeholders
 * @param report a sentence recorded in the {@link Report} for every column the rule maps; for lossy
 *     choices
 */
public record TypeRule(String name, RuleCondition when, String to, Optional<String> report) {
  static final Set<String> PLACEHOLDERS =
      Set.of("length", "precision", "scale", "fsp", "datetime", "enum");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

  public TypeRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(when, "when");
    Objects.requireNonNull(report, "report");
    if (to == null || to.isBlank()) {
      throw new IllegalArgumentException("rule '" + name + "': 'to' must name a type");
    }
    Matcher m = PLACEHOLDER.matcher(to);
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group(1))) {
        throw new IllegalArgumentException(
            "rule '"
                + name
                + "': unknown placeholder {"
                + m.group(1)
                + "} in '"
                + to
                + "'; known: "
                + PLACEHOLDERS);
      }
    }
  }

  public boolean matches(TableDef table, ColumnDef column) {
    return when.matches(table, column);
  }

  /** Whether the target is {@code {enum}}, whose meaning the options decide. */
  boolean targetsEnum() {
    return to.contains("{enum}");
  }

  /**
   * The target type for one column with every placeholder filled in.
   *
   * @param enumType the PostgreSQL type standing for {@code {enum}}
   */
  String render(TableDef table, ColumnDef column, MappingOptions options, String enumType) {
    StringBuilder out = new StringBuilder();
    Matcher m = PLACEHOLDER.matcher(to);
    while (m.find()) {
      m.appendReplacement(
          out, Matcher.quoteReplacement(value(m.group(1), table, column, options, enumType)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String value(
      String placeholder,
      TableDef table,
      ColumnDef column,
      MappingOptions options,
      String enumType) {
    switch (placeholder) {
      case "datetime":
        return options.datetimeType().sql();
      case "enum":
        if (!column.dataType().equals("enum")) {
          throw new ColumnMappingException(
              table.name(),
              column.name(),
              "rule '" + name + "' uses {enum} but the column is " + column.columnType());
        }
        return enumType;
      case "scale":
        return column.typeArguments().size() > 1 ? column.typeArguments().get(1) : "0";
      case "fsp":
        return column.typeArguments().isEmpty() ? "0" : column.typeArguments().get(0);
      default: // length, precision
        if (column.typeArguments().isEmpty()) {
          throw new ColumnMappingException(
              table.name(),
              column.name(),
              "rule '"
                  + name
                  + "' needs {"
                  + placeholder
                  + "} but "
                  + column.columnType()
                  + " has no arguments");
        }
        return column.typeArguments().get(0);
    }
  }
}
