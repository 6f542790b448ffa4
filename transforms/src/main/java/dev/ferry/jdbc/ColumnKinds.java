package dev.ferry.jdbc;

import dev.ferry.record.Column;
import dev.ferry.record.ValueKind;
import java.sql.Types;
import java.util.Set;

/**
 * The one place that decides a column's value kind from what the database says of it. The
 * reader, the writer, the digests and the profile all ask here, so a rule such as "a MySQL
 * TIMESTAMP is an instant" is written once.
 */
public final class ColumnKinds {
  private static final Set<String> POSTGRES_TEXT_TYPES =
      Set.of("varchar", "text", "bpchar", "char", "name", "citext", "character",
          "character varying", "unknown", "");

  private ColumnKinds() {}

  /**
   * The kind of value a column takes. The writer binds in this kind, and reconcile compares in
   * it, so a source row is compared with what the writer would have made of it.
   */
  public static ValueKind of(Column c, Dialect dialect) {
    String type = c.typeName();
    switch (c.jdbcType()) {
      case Types.BIT:
      case Types.BOOLEAN:
        return type.equals("bit") && c.size() > 1 ? ValueKind.OTHER : ValueKind.BOOLEAN;
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
        return ValueKind.LONG;
      case Types.BIGINT:
        return type.contains("unsigned") ? ValueKind.DECIMAL : ValueKind.LONG;
      case Types.NUMERIC:
      case Types.DECIMAL:
        return ValueKind.DECIMAL;
      case Types.REAL:
        return ValueKind.FLOAT;
      case Types.FLOAT:
      case Types.DOUBLE:
        return ValueKind.DOUBLE;
      case Types.DATE:
        return type.equals("year") ? ValueKind.LONG : ValueKind.DATE;
      case Types.TIME:
        return ValueKind.TIME;
      case Types.TIMESTAMP:
        if (dialect == Dialect.MYSQL) {
          return type.equals("timestamp") ? ValueKind.TIMESTAMPTZ : ValueKind.TIMESTAMP;
        }
        return type.equals("timestamptz") ? ValueKind.TIMESTAMPTZ : ValueKind.TIMESTAMP;
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return ValueKind.TIMESTAMPTZ;
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
      case Types.BLOB:
        return ValueKind.BYTES;
      case Types.OTHER:
        if (type.equals("uuid")) {
          return ValueKind.UUID;
        }
        return type.equals("json") || type.equals("jsonb") ? ValueKind.JSON : ValueKind.OTHER;
      case Types.ARRAY:
        return ValueKind.OTHER;
      default:
        if (type.equals("json")) {
          return ValueKind.JSON;
        }
        // PostgreSQL reports user-defined enum types as VARCHAR; they must be bound untyped.
        return dialect == Dialect.POSTGRESQL && !POSTGRES_TEXT_TYPES.contains(type)
            ? ValueKind.OTHER : ValueKind.TEXT;
    }
  }

  /** Whether a column holds instants: PostgreSQL timestamptz, MySQL TIMESTAMP (never DATETIME). */
  public static boolean isInstant(Column c, Dialect dialect) {
    return of(c, dialect) == ValueKind.TIMESTAMPTZ;
  }

  /** Fixed-width CHAR(n): the engines pad it with spaces, differently. */
  public static boolean isPaddedChar(Column c) {
    String type = c.typeName();
    return type.equals("bpchar") || type.equals("char") || type.equals("character")
        || c.jdbcType() == Types.CHAR && !type.contains("var");
  }
}
