package dev.ferry.read;

import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.util.ArrayList;
import java.util.List;

/**
 * The select list that reads a layout's columns without loss, each under its own name.
 *
 * <p>MariaDB sends a FLOAT in the text protocol as six significant digits (1.234567 arrives as
 * 1.23457, 0.3333333432674408 as 0.333333), so reading the column itself loses most of the
 * value's bits. Multiplied by {@code 1e0} the server widens it to DOUBLE exactly and sends the
 * shortest text that reads back as that double (every bit, -0 included), and the reader narrows
 * it back to the same float. {@code CAST(… AS DOUBLE)} would say the same, but MySQL before
 * 8.0.17 and MariaDB before 10.4 lack it. Every other type's text is exact: DOUBLE as the
 * shortest round-trip digits, DECIMAL with all its digits, temporal values with their fraction.
 */
public final class SourceColumns {
  private SourceColumns() {}

  /** {@code "a", "b"} for PostgreSQL; for MySQL with every FLOAT column widened. */
  public static String selectList(Dialect dialect, Layout layout) {
    List<String> items = new ArrayList<>(layout.size());
    for (Column c : layout.columns()) {
      String q = dialect.quote(c.name());
      items.add(dialect == Dialect.MYSQL && isFloat(c) ? q + " * 1e0 AS " + q : q);
    }
    return String.join(", ", items);
  }

  /** MySQL FLOAT (single precision), signed or unsigned; DOUBLE and REAL are read as they are. */
  static boolean isFloat(Column c) {
    return c.typeName().equals("float") || c.typeName().equals("float unsigned");
  }
}
