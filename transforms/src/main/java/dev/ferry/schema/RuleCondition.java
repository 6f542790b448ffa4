package dev.ferry.schema;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code when} part of a {@link TypeRule}: every condition given must hold; an absent condition
 * matches anything.
 *
 * @param types DATA_TYPE names, lower case; empty matches every type
 * @param columnType a case-insensitive pattern the whole COLUMN_TYPE must match
 * @param unsigned whether the column must (true) or must not (false) be unsigned
 * @param autoIncrement whether the column must (true) or must not (false) be AUTO_INCREMENT
 * @param table the exact table name, for overrides of one table
 * @param column the column name (case-insensitive, as in MySQL), for overrides of one column
 */
public record RuleCondition(
    Set<String> types,
    Optional<Pattern> columnType,
    Optional<Boolean> unsigned,
    Optional<Boolean> autoIncrement,
    Optional<String> table,
    Optional<String> column) {

  public RuleCondition {
    types = types.stream().map(t -> t.toLowerCase(Locale.ROOT).trim()).collect(Collectors.toSet());
    Objects.requireNonNull(columnType, "columnType");
    Objects.requireNonNull(unsigned, "unsigned");
    Objects.requireNonNull(autoIncrement, "autoIncrement");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(column, "column");
  }

  public boolean matches(TableDef tableDef, ColumnDef columnDef) {
    return (types.isEmpty() || types.contains(columnDef.dataType()))
        && columnType.map(p -> p.matcher(columnDef.columnType()).matches()).orElse(true)
        && unsigned.map(u -> u == columnDef.unsigned()).orElse(true)
        && autoIncrement.map(a -> a == columnDef.autoIncrement()).orElse(true)
        && table.map(t -> t.equals(tableDef.name())).orElse(true)
        && column.map(c -> c.equalsIgnoreCase(columnDef.name())).orElse(true);
  }
}
