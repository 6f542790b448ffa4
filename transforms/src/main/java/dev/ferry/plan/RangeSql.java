package dev.ferry.plan;

import dev.ferry.jdbc.Dialect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SQL predicates for key ranges. Composite keys compare as row values ({@code (a, b) >= (?,
 * ?)}) on PostgreSQL and written out lexicographically on MySQL ({@link RowComparison}), both in
 * index order, so a range predicate and an ORDER BY on the key agree.
 */
public final class RangeSql implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final Dialect dialect;
  private final List<String> keys;

  public RangeSql(Dialect dialect, List<String> keyColumns) {
    this.dialect = dialect;
    this.keys = keyColumns;
  }

  /** ORDER BY clause on the key columns; none for a table without a key. */
  public String orderBy() {
    if (keys.isEmpty()) {
      return "";
    }
    return " ORDER BY " + dialect.columnList(keys);
  }

  /**
   * The WHERE clause (without the keyword) selecting a range, optionally only keys after
   * {@code afterKey} (a resume point), and the values to bind in order into {@code params}.
   */
  public String where(KeyRange range, Object[] afterKey, List<Object> params) {
    List<String> terms = new ArrayList<>();
    if (keys.isEmpty()) {
      // A table without a key is read whole, as its one range of "NULL keys".
      return "1 = 1";
    }
    if (range.nullKeys()) {
      List<String> anyNull = new ArrayList<>();
      for (String k : keys) {
        anyNull.add(dialect.quote(k) + " IS NULL");
      }
      terms.add("(" + String.join(" OR ", anyNull) + ")");
    } else {
      if (range.lower() != null) {
        terms.add(compare(">=", range.lower(), params));
      }
      if (range.upper() != null) {
        terms.add(compare("<", range.upper(), params));
      }
      if (range.lower() == null && range.upper() == null) {
        terms.add(notNull());
      } else if (keys.size() > 1) {
        // A row-value comparison is NULL, not false, when one part is NULL; say it explicitly.
        terms.add(notNull());
      }
    }
    if (afterKey != null) {
      terms.add(compare(">", afterKey, params));
    }
    return String.join(" AND ", terms);
  }

  /** The key compared with {@code bound} by {@code op}; its values appended to {@code params}. */
  private String compare(String op, Object[] bound, List<Object> params) {
    List<String> columns = new ArrayList<>();
    for (String k : keys) {
      columns.add(dialect.quote(k));
    }
    return RowComparison.compare(dialect, columns, op, Arrays.asList(bound), params);
  }

  /**
   * {@link #where} with the bound values written into the SQL, for PostgreSQL statements that
   * take no parameters ({@code COPY (SELECT …) TO STDOUT}). Only integer, text and UUID keys are
   * accepted: integers as digits, the others as {@code E'…'} literals with every backslash and
   * quote doubled, so no value can change the statement.
   */
  public String whereLiteral(KeyRange range, Object[] afterKey) {
    List<Object> params = new ArrayList<>();
    String sql = where(range, afterKey, params);
    StringBuilder out = new StringBuilder(sql.length() + 16 * params.size());
    int p = 0;
    boolean quoted = false;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '"' || c == '`') {
        quoted = !quoted;
      }
      if (c == '?' && !quoted) {
        out.append(literal(params.get(p++)));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String literal(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short) {
      return String.valueOf(((Number) v).longValue());
    }
    if (v instanceof String || v instanceof java.util.UUID) {
      return "E'" + v.toString().replace("\\", "\\\\").replace("'", "''") + "'";
    }
    throw new IllegalArgumentException("only integer, text and UUID keys can be written into"
        + " SQL, got " + (v == null ? "NULL" : v.getClass().getSimpleName()));
  }

  /** All key columns are non-NULL. */
  public String notNull() {
    List<String> parts = new ArrayList<>();
    for (String k : keys) {
      parts.add(dialect.quote(k) + " IS NOT NULL");
    }
    return String.join(" AND ", parts);
  }
}
