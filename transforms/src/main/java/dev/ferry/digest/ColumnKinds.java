package dev.ferry.digest;

import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.ValueKind;
import java.sql.Types;
import java.util.Locale;

/**
 * The value kind a target column holds, which is the kind both sides are compared in: a source
 * value is converted to it exactly as the backfill's writer converts it before binding, so a
 * source row is compared with what it should have become.
 */
public final class ColumnKinds {
  private ColumnKinds() {}

  /** Same rules as the upsert writer's binder (dev.ferry.write), kept in step with it. */
  public static ValueKind of(Column c, Dialect dialect) {
    String type = c.typeName().toLowerCase(Locale.ROOT);
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
        return type.equals("json") ? ValueKind.JSON : ValueKind.TEXT;
    }
  }

  /** Fixed-width CHAR(n): the engines pad it with spaces, differently. */
  public static boolean isPaddedChar(Column c) {
    String type = c.typeName();
    return type.equals("bpchar") || type.equals("char") || type.equals("character")
        || c.jdbcType() == Types.CHAR && !type.contains("var");
  }

  /** Character types, whose order depends on a collation. */
  public static boolean isText(Column c) {
    switch (c.jdbcType()) {
      case Types.CHAR:
      case Types.VARCHAR:
      case Types.LONGVARCHAR:
      case Types.NCHAR:
      case Types.NVARCHAR:
      case Types.LONGNVARCHAR:
      case Types.CLOB:
        return true;
      default:
        return false;
    }
  }
}
