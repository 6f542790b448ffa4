package dev.ferry.plan;

import dev.ferry.jdbc.Dialect;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What to read: a table (optionally schema-qualified) or a trusted SQL query, and the key
 * columns that order and partition it. Names are quoted by the dialect; a query is taken as
 * written, so specs that contain queries must come from trusted authors.
 */
public final class SourceRelation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> table;
  private final String query;
  private final List<String> keyColumns;

  private SourceRelation(List<String> table, String query, List<String> keyColumns,
      boolean keyRequired) {
    if (keyColumns == null || keyRequired && keyColumns.isEmpty()) {
      throw new IllegalArgumentException("at least one key column is required");
    }
    this.table = table == null ? null : Collections.unmodifiableList(new ArrayList<>(table));
    this.query = query;
    this.keyColumns = Collections.unmodifiableList(new ArrayList<>(keyColumns));
  }

  /** A table, given as its name or as {@code schema.table} split into parts. */
  public static SourceRelation table(List<String> qualifiedName, List<String> keyColumns) {
    Objects.requireNonNull(qualifiedName, "table");
    return new SourceRelation(qualifiedName, null, keyColumns, true);
  }

  /**
   * A table without a key, which can only be read whole, in one scan: as the single range
   * {@link KeyRange#ofNullKeys} (every row, as {@link RangeSql} selects it for no key columns),
   * with no order and no resume point. For reading a table once (a profile), never for copying:
   * its rows cannot be checkpointed, upserted or compared by key.
   */
  public static SourceRelation unkeyedTable(List<String> qualifiedName) {
    Objects.requireNonNull(qualifiedName, "table");
    return new SourceRelation(qualifiedName, null, List.of(), false);
  }

  public static SourceRelation query(String sql, List<String> keyColumns) {
    Objects.requireNonNull(sql, "query");
    return new SourceRelation(null, sql.trim().replaceAll(";+\\s*$", ""), keyColumns,
        true);
  }

  public List<String> keyColumns() {
    return keyColumns;
  }

  public boolean isQuery() {
    return query != null;
  }

  /** The name for messages: the table name, or "query". */
  public String displayName() {
    return table != null ? String.join(".", table) : "query";
  }

  public List<String> tableName() {
    return table;
  }

  /** What goes after FROM: the quoted table, or the query as a derived table. */
  public String fromClause(Dialect dialect) {
    if (table != null) {
      return dialect.quoteQualified(table);
    }
    return "(" + query + ") ferry_source";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SourceRelation)) {
      return false;
    }
    SourceRelation s = (SourceRelation) o;
    return Objects.equals(table, s.table)
        && Objects.equals(query, s.query)
        && keyColumns.equals(s.keyColumns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, query, keyColumns);
  }

  @Override
  public String toString() {
    return displayName() + " keyed by " + keyColumns;
  }
}
