package dev.ferry.schema;

/**
 * Something the data copy must do to a column's values beyond passing the JDBC value through.
 * Derived from the source column and its PostgreSQL type, so that a user rule cannot forget one.
 */
public enum ConversionNeed {
  /**
   * The column can hold MySQL zero dates ({@code 0000-00-00}, also with a zero month or day), which
   * PostgreSQL cannot store: they load as NULL. With mysql-connector-j, {@code
   * zeroDateTimeBehavior=CONVERT_TO_NULL} does this when reading.
   */
  ZERO_DATES_TO_NULL,
  /**
   * The value crosses between zone-less and zoned time (DATETIME to timestamptz, or TIMESTAMP to
   * timestamp): read or render it in {@link ColumnConversion#sourceZone()}.
   */
  SOURCE_ZONE,
  /** A number or bit value becomes a boolean: 0 is false, anything else true. */
  TO_BOOLEAN,
  /** A BIT(n) value (bytes from JDBC) becomes a PostgreSQL bit string of n digits. */
  BIT_STRING,
  /** An unsigned BIGINT can exceed Java's long: read it as BigDecimal, never getLong. */
  UNSIGNED_BIGINT,
  /**
   * An ENUM value, one of {@link ColumnConversion#labels()}. MySQL stores {@code ''} for invalid
   * values inserted outside strict mode; it is not a label, so the target rejects it.
   */
  ENUM,
  /** A SET value ({@code "a,b"}) becomes an array ({@code {a,b}}); an empty SET an empty array. */
  SET_TO_ARRAY,
  /**
   * The target type (jsonb, uuid, inet, a PostgreSQL enum type) takes text input but not a varchar
   * parameter: bind with {@code setObject(i, value, Types.OTHER)} or cast {@code ?::type}.
   */
  CAST_FROM_TEXT,
  /** Read the geometry as WKB, {@code ST_AsBinary(col)}; the raw column has a SRID prefix. */
  GEOMETRY_WKB,
  /** Read the geometry as WKT, {@code ST_AsText(col)}. */
  GEOMETRY_WKT,
  /** mysql-connector-j returns YEAR as a java.sql.Date; take the year number. */
  YEAR_AS_NUMBER,
  /** A MySQL TIME duration outside 00:00:00..24:00:00 cannot be stored and is rejected. */
  TIME_OF_DAY
}
