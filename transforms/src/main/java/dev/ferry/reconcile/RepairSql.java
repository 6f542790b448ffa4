package dev.ferry.reconcile;

import dev.ferry.jdbc.ColumnKinds;
import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.ConversionException;
import dev.ferry.record.Conversions;
import dev.ferry.record.Layout;
import dev.ferry.record.ValueKind;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes repairs as SQL for a person to review and run: an upsert per row to re-copy, a DELETE
 * per row to remove, with every value as a literal of the target's engine (no parameters, so the
 * file runs in any SQL client). Values are converted to the target column's kind exactly as the
 * backfill's writer converts them.
 */
public final class RepairSql {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  private final Dialect dialect;
  private final List<String> table;
  private final Layout columns;
  private final List<String> key;

  /** Statements for {@code table} with the compared {@code columns} and {@code key}. */
  public RepairSql(Dialect dialect, List<String> table, Layout columns, List<String> key) {
    this.dialect = dialect;
    this.table = List.copyOf(table);
    this.columns = columns;
    this.key = List.copyOf(key);
    columns.indexesOf(key);
  }

  /** Session settings that make the literals mean what they say, and the transaction start. */
  public String begin() {
    return dialect == Dialect.POSTGRESQL ? "SET TIME ZONE 'UTC';\nBEGIN;\n"
        : "SET time_zone = '+00:00';\nSTART TRANSACTION;\n";
  }

  public String commit() {
    return "COMMIT;\n";
  }

  /** An upsert of one row given in the compared layout. */
  public String upsert(Object[] row) {
    List<String> values = new ArrayList<>(row.length);
    for (int i = 0; i < row.length; i++) {
      values.add(literal(columns.column(i), row[i]));
    }
    String insert = "INSERT INTO " + dialect.quoteQualified(table) + " ("
        + dialect.columnList(columns.names()) + ") VALUES (" + String.join(", ", values) + ")";
    List<String> sets = new ArrayList<>();
    for (String c : columns.names()) {
      if (!key.contains(c)) {
        String q = dialect.quote(c);
        sets.add(q + " = " + (dialect == Dialect.POSTGRESQL ? "EXCLUDED." + q
            : "VALUES(" + q + ")"));
      }
    }
    if (dialect == Dialect.POSTGRESQL) {
      return insert + " ON CONFLICT (" + dialect.columnList(key) + ") DO "
          + (sets.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", sets)) + ";\n";
    }
    String update = sets.isEmpty() ? dialect.quote(key.get(0)) + " = " + dialect.quote(key.get(0))
        : String.join(", ", sets);
    return insert + " ON DUPLICATE KEY UPDATE " + update + ";\n";
  }

  /** A DELETE of every row with the given key values (in key order). */
  public String delete(Object[] keyValues) {
    List<String> terms = new ArrayList<>();
    for (int i = 0; i < key.size(); i++) {
      Column c = columns.column(columns.indexOf(key.get(i)));
      String q = dialect.quote(c.name());
      terms.add(keyValues[i] == null ? q + " IS NULL" : q + " = " + literal(c, keyValues[i]));
    }
    return "DELETE FROM " + dialect.quoteQualified(table) + " WHERE " + String.join(" AND ",
        terms) + ";\n";
  }

  /** A value as a literal of the target's engine, converted to the column's kind. */
  String literal(Column column, Object value) {
    if (value == null) {
      return "NULL";
    }
    ValueKind kind = ColumnKinds.of(column, dialect);
    Object v;
    try {
      v = Conversions.convert(value, kind);
    } catch (ConversionException e) {
      throw new IllegalArgumentException("column " + column.name() + ": " + e.getMessage(), e);
    }
    switch (kind) {
      case LONG:
        return v.toString();
      case DECIMAL:
        return ((BigDecimal) v).toPlainString();
      case DOUBLE:
      case FLOAT:
        double d = ((Number) v).doubleValue();
        if (Double.isFinite(d)) {
          return v.toString();
        }
        if (dialect == Dialect.MYSQL) {
          throw new IllegalArgumentException("column " + column.name() + ": " + v
              + " cannot be stored in MySQL");
        }
        return "'" + (Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity") + "'";
      case BOOLEAN:
        return (Boolean) v ? "TRUE" : "FALSE";
      case BYTES:
        String hex = HexFormat.of().formatHex((byte[]) v);
        return dialect == Dialect.POSTGRESQL ? "'\\x" + hex + "'::bytea" : "X'" + hex + "'";
      case TIMESTAMP:
        return quote(TIMESTAMP.format((LocalDateTime) v));
      case TIMESTAMPTZ:
        String utc = TIMESTAMP.format(((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC)
            .toLocalDateTime());
        return quote(dialect == Dialect.POSTGRESQL ? utc + "+00" : utc);
      default:
        return quote(v.toString());
    }
  }

  private String quote(String s) {
    String escaped = s.replace("'", "''");
    if (dialect == Dialect.MYSQL) {
      // MySQL treats backslashes in literals as escapes unless NO_BACKSLASH_ESCAPES is set.
      escaped = escaped.replace("\\", "\\\\");
    }
    return "'" + escaped + "'";
  }
}
