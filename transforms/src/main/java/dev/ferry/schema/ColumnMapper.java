package dev.ferry.schema;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Works out the PostgreSQL declaration of each source column: its type from the rules, its default,
 * NOT NULL, identity and label checks, and what the data copy must do to its values.
 */
final class ColumnMapper {
  private static final Set<String> UTF8_CHARSETS = Set.of("utf8mb4", "utf8mb3", "utf8", "ascii");

  private final TypeMappingRules rules;
  private final MappingOptions options;
  private final PostgresNames names;
  private final DefaultTranslator defaults;
  private final Report.Builder report;

  ColumnMapper(
      TypeMappingRules rules, MappingOptions options, PostgresNames names, Report.Builder report) {
    this.rules = rules;
    this.options = options;
    this.names = names;
    this.defaults = new DefaultTranslator(options, report);
    this.report = report;
  }

  MappedColumn map(TableDef table, ColumnDef column) {
    TypeRule rule = rules.ruleFor(table, column);
    boolean enumType =
        rule.targetsEnum() && options.enumStyle() == MappingOptions.EnumStyle.POSTGRES_ENUM;
    String enumTypeName = names.enumType(table.name(), column.name());
    if (enumType) {
      names.claim(
          "types",
          names.enumTypeName(table.name(), column.name()),
          "the enum type of column '" + table.name() + "." + column.name() + "'");
    }
    PostgresType type =
        PostgresType.of(rule.render(table, column, options, enumType ? enumTypeName : "text"));
    rule.report().ifPresent(r -> report.column(WarningKind.LOSSY_TYPE, table, column, r));
    reportDetails(table, column);

    boolean identity = column.autoIncrement() && type.isInteger();
    if (column.autoIncrement() && !identity) {
      report.column(
          WarningKind.IDENTITY_SKIPPED,
          table,
          column,
          "AUTO_INCREMENT on a column mapped to " + type.sql() + " is not an identity");
    }
    Optional<String> defaultSql =
        identity ? Optional.empty() : defaults.translate(table, column, type);
    boolean notNull = !column.nullable();
    if (notNull && DefaultTranslator.hasZeroDateDefault(column)) {
      notNull = false;
      report.column(
          WarningKind.NOT_NULL_DROPPED,
          table,
          column,
          "NOT NULL dropped: the column defaults to a zero date, and zero dates load as NULL");
    }
    String targetName = names.columnName(column.name());
    names.claim(
        "columns of " + table.name(),
        targetName,
        "column '" + table.name() + "." + column.name() + "'");
    names.renamed("column", table.name() + "." + column.name(), column.name(), targetName);
    String name = names.column(column.name());
    Optional<String> enumTypeDdl =
        enumType
            ? Optional.of("CREATE TYPE " + enumTypeName + " AS ENUM (" + labels(column) + ")")
            : Optional.empty();
    return new MappedColumn(
        column,
        name,
        type,
        identity,
        defaultSql,
        notNull,
        labelCheck(rule, enumType, column, name, type),
        enumTypeDdl,
        conversion(column, targetName, type, enumType));
  }

  private void reportDetails(TableDef table, ColumnDef column) {
    if (column.zerofill()) {
      report.column(
          WarningKind.ZEROFILL,
          table,
          column,
          "ZEROFILL only pads the displayed number; PostgreSQL stores the number without it");
    }
    column
        .charset()
        .filter(c -> !UTF8_CHARSETS.contains(c.toLowerCase(Locale.ROOT)) && !c.equals("binary"))
        .ifPresent(
            c ->
                report.column(
                    WarningKind.CHARSET,
                    table,
                    column,
                    "character set "
                        + c
                        + " is re-encoded to UTF-8; check for mojibake"
                        + " (UTF-8 bytes stored as "
                        + c
                        + ") before trusting the copy"));
    if (column.onUpdateCurrentTimestamp()) {
      report.column(
          WarningKind.ON_UPDATE_CURRENT_TIMESTAMP,
          table,
          column,
          options.onUpdateTriggers()
              ? "ON UPDATE CURRENT_TIMESTAMP is emulated by a BEFORE UPDATE trigger; create it"
                  + " after the last catch-up, or it rewrites the copied timestamps"
              : "ON UPDATE CURRENT_TIMESTAMP has no PostgreSQL equivalent; the application must"
                  + " set the column, or enable MappingOptions.withOnUpdateTriggers (ferry migrate"
                  + " creates the trigger unless --onUpdateTriggers=false)");
    }
    if (column.generated()) {
      report.column(
          WarningKind.GENERATED_COLUMN,
          table,
          column,
          "generated column becomes a plain column holding the copied values; its expression"
              + " is not translated");
    }
    String target = names.columnName(column.name());
    if (!target.equals(names.naming().apply(column.name()))) {
      report.column(
          WarningKind.IDENTIFIER_TOO_LONG,
          table,
          column,
          "name longer than 63 bytes; the PostgreSQL column is " + target);
    }
    if (ReservedWords.contains(target)) {
      report.column(WarningKind.RESERVED_WORD, table, column, ReservedWords.warning(target));
    }
  }

  /** ENUM labels as a CHECK when they are not an enum type; SET labels always. */
  private static Optional<String> labelCheck(
      TypeRule rule, boolean enumType, ColumnDef column, String name, PostgresType type) {
    if (rule.targetsEnum() && !enumType) {
      return Optional.of(name + " IN (" + labels(column) + ")");
    }
    if (column.dataType().equals("set") && type.array() && type.base().equals("text")) {
      return Optional.of(name + " <@ ARRAY[" + labels(column) + "]::text[]");
    }
    return Optional.empty();
  }

  private static String labels(ColumnDef column) {
    return column.labels().stream().map(DefaultTranslator::quote).collect(Collectors.joining(", "));
  }

  private ColumnConversion conversion(
      ColumnDef column, String targetName, PostgresType type, boolean enumType) {
    Set<ConversionNeed> needs = ConversionNeeds.of(column, type, enumType);
    return new ColumnConversion(
        column.name(),
        targetName,
        column.columnType(),
        type.sql(),
        needs,
        column.labels(),
        needs.contains(ConversionNeed.SOURCE_ZONE)
            ? Optional.of(options.sourceZone())
            : Optional.empty());
  }
}
