package dev.ferry.digest;

import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.ValueKind;
import dev.ferry.write.ValueBinder;
import java.sql.Types;

/**
 * The value kind a target column holds, which is the kind both sides are compared in: a source
 * value is converted to it exactly as the backfill's writer converts it before binding, so a
 * source row is compared with what it should have become.
 */
public final class ColumnKinds {
  private ColumnKinds() {}

  /** The writer's own rule ({@link ValueBinder#kindOf}), so both stay in step. */
  public static ValueKind of(Column c, Dialect dialect) {
    return ValueBinder.kindOf(c, dialect);
  }

  /** Fixed-width CHAR(n): the engines pad it with spaces, differently. */
  public static boolean isPaddedChar(Column c) {
    String type = c.typeName();
    return type.equals("bpchar") || type.equals("char") || type.equals("character")
        || c.jdbcType() == Types.CHAR && !type.contains("var");
  }
}
