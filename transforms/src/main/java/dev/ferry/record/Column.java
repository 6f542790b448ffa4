package dev.ferry.record;

import java.io.Serializable;
import java.sql.Types;
import java.util.Locale;
import java.util.Objects;

/**
 * A column as the database describes it: name, JDBC type code, database type name, size,
 * scale and nullability. Readers choose how to fetch a value from it, writers how to bind one.
 */
public final class Column implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final int jdbcType;
  private final String typeName;
  private final int size;
  private final int scale;
  private final boolean nullable;

  public Column(String name, int jdbcType, String typeName, int size, int scale, boolean nullable) {
    this.name = Objects.requireNonNull(name, "name");
    this.jdbcType = jdbcType;
    this.typeName = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
    this.size = size;
    this.scale = scale;
    this.nullable = nullable;
  }

  public String name() {
    return name;
  }

  public int jdbcType() {
    return jdbcType;
  }

  /** The database's own type name in lower case, e.g. {@code varchar}, {@code jsonb}. */
  public String typeName() {
    return typeName;
  }

  /** Length for text and binary types, precision for numbers; 0 when unknown or unbounded. */
  public int size() {
    return size;
  }

  public int scale() {
    return scale;
  }

  public boolean nullable() {
    return nullable;
  }

  /** Character types (CHAR, VARCHAR, CLOB and their national forms), ordered by a collation. */
  public boolean isText() {
    switch (jdbcType) {
      case Types.CHAR:
      case Types.VARCHAR:
      case Types.LONGVARCHAR:
      case Types.NCHAR:
      case Types.NVARCHAR:
      case Types.LONGNVARCHAR:
      case Types.CLOB:
      case Types.NCLOB:
        return true;
      default:
        return false;
    }
  }

  /** Signed whole-number types that a Java long holds (SMALLINT, INTEGER, BIGINT). */
  public boolean isInteger() {
    return (jdbcType == Types.SMALLINT || jdbcType == Types.INTEGER || jdbcType == Types.BIGINT)
        && !typeName.contains("unsigned");
  }

  /** Byte-string types (BINARY, VARBINARY, BLOB). */
  public boolean isBinary() {
    switch (jdbcType) {
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
      case Types.BLOB:
        return true;
      default:
        return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Column)) {
      return false;
    }
    Column c = (Column) o;
    return name.equals(c.name)
        && jdbcType == c.jdbcType
        && typeName.equals(c.typeName)
        && size == c.size
        && scale == c.scale
        && nullable == c.nullable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, jdbcType, typeName, size, scale, nullable);
  }

  @Override
  public String toString() {
    return name + " " + typeName + (size > 0 ? "(" + size + (scale > 0 ? "," + scale : "") + ")" : "");
  }
}
