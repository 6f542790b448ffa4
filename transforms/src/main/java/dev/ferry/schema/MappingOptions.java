package dev.ferry.schema;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * The choices the type-mapping rules leave open, fixed per migration.
 *
 * @param datetimeType what {@code {datetime}} in a rule means: PostgreSQL {@code timestamp} keeps
 *     MySQL DATETIME's wall-clock values as they are; {@code timestamptz} turns them into instants,
 *     reading them in {@code sourceZone}
 * @param sourceZone the zone the source's zone-less DATETIME values (and the server's TIMESTAMP
 *     rendering) are in
 * @param enumStyle what {@code {enum}} in a rule means
 * @param onUpdateTriggers whether to generate triggers that emulate {@code ON UPDATE
 *     CURRENT_TIMESTAMP}
 * @param targetSchema the PostgreSQL schema to create everything in, spelled as it is to be
 *     created; absent means unqualified names, resolved by the connection's search_path
 * @param naming how source identifiers are spelled in PostgreSQL
 */
public record MappingOptions(
    DatetimeType datetimeType,
    ZoneId sourceZone,
    EnumStyle enumStyle,
    boolean onUpdateTriggers,
    Optional<String> targetSchema,
    Naming naming) {

  /** PostgreSQL type for MySQL DATETIME. */
  public enum DatetimeType {
    TIMESTAMP("timestamp"),
    TIMESTAMPTZ("timestamptz");

    private final String sql;

    DatetimeType(String sql) {
      this.sql = sql;
    }

    public String sql() {
      return sql;
    }
  }

  /** How MySQL ENUM columns are declared in PostgreSQL. */
  public enum EnumStyle {
    /** {@code text} with {@code CHECK (col IN (...labels))}: labels can change with ALTER TABLE. */
    TEXT_WITH_CHECK,
    /** A PostgreSQL enum type per column, named {@code <table>_<column>}. */
    POSTGRES_ENUM
  }

  public MappingOptions {
    Objects.requireNonNull(datetimeType, "datetimeType");
    Objects.requireNonNull(sourceZone, "sourceZone");
    Objects.requireNonNull(enumStyle, "enumStyle");
    Objects.requireNonNull(targetSchema, "targetSchema");
    Objects.requireNonNull(naming, "naming");
    targetSchema.ifPresent(
        s -> {
          if (s.isEmpty()) {
            throw new IllegalArgumentException("the target schema name must not be empty");
          }
        });
  }

  /**
   * timestamp for DATETIME, UTC, enums as text with a CHECK, no triggers, unqualified names in
   * lower case.
   */
  public static MappingOptions defaults() {
    return new MappingOptions(
        DatetimeType.TIMESTAMP,
        ZoneOffset.UTC,
        EnumStyle.TEXT_WITH_CHECK,
        false,
        Optional.empty(),
        Naming.LOWER);
  }

  public MappingOptions withDatetimeType(DatetimeType type) {
    return new MappingOptions(type, sourceZone, enumStyle, onUpdateTriggers, targetSchema, naming);
  }

  public MappingOptions withSourceZone(ZoneId zone) {
    return new MappingOptions(
        datetimeType, zone, enumStyle, onUpdateTriggers, targetSchema, naming);
  }

  public MappingOptions withEnumStyle(EnumStyle style) {
    return new MappingOptions(
        datetimeType, sourceZone, style, onUpdateTriggers, targetSchema, naming);
  }

  public MappingOptions withOnUpdateTriggers(boolean generate) {
    return new MappingOptions(datetimeType, sourceZone, enumStyle, generate, targetSchema, naming);
  }

  public MappingOptions withTargetSchema(String schema) {
    return new MappingOptions(
        datetimeType, sourceZone, enumStyle, onUpdateTriggers, Optional.of(schema), naming);
  }

  public MappingOptions withNaming(Naming names) {
    return new MappingOptions(
        datetimeType, sourceZone, enumStyle, onUpdateTriggers, targetSchema, names);
  }
}
