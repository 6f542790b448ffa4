package dev.ferry.profile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What {@link ProfileRows} measured: rows read (including rows the reader rejected, which appear
 * as findings), rows whose values were profiled, one {@link ColumnProfile} per column in table
 * order, the findings ordered by kind and column, and the growth when a window was given.
 */
public final class TableProfile implements Serializable {
  private static final long serialVersionUID = 1L;

  public final long rowsRead;
  public final long rowsProfiled;
  public final long largeValueBytes;
  public final List<ColumnProfile> columns;
  public final List<Finding> findings;
  /**
   * Rows created in the last 30 and 90 days, or null when no growth window was given. Reports
   * show it beside the table's other catalog facts, not inside the profile.
   */
  @JsonIgnore public final Growth growth;
  /**
   * Rows per month ({@code 2026-03}) of the created-at column that the growth is counted by, in
   * month order; null when no growth window was given. Rows whose value is NULL or was rejected
   * are in no month.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public final Map<String, Long> rowsPerMonth;

  public TableProfile(long rowsRead, long rowsProfiled, long largeValueBytes,
      List<ColumnProfile> columns, List<Finding> findings, Growth growth,
      Map<String, Long> rowsPerMonth) {
    this.rowsRead = rowsRead;
    this.rowsProfiled = rowsProfiled;
    this.largeValueBytes = largeValueBytes;
    this.columns = List.copyOf(columns);
    this.findings = List.copyOf(findings);
    this.growth = growth;
    this.rowsPerMonth = rowsPerMonth == null ? null
        : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(rowsPerMonth));
  }

  /** The column's profile by name. */
  public ColumnProfile column(String name) {
    for (ColumnProfile c : columns) {
      if (c.name.equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no column '" + name + "' in the profile");
  }

  /** The finding of a kind in a column (null column: the key), or null when there is none. */
  public Finding finding(FindingKind kind, String column) {
    for (Finding f : findings) {
      if (f.kind == kind && java.util.Objects.equals(f.column, column)) {
        return f;
      }
    }
    return null;
  }

  /**
   * This profile with what the catalog and the key search establish: each column's declared
   * type (by name; columns not named keep theirs) and, for a single-column key proven unique,
   * an exact distinct count.
   */
  public TableProfile withCatalogFacts(java.util.Map<String, String> declaredTypes,
      String uniqueKeyColumn) {
    List<ColumnProfile> out = new java.util.ArrayList<>(columns.size());
    for (ColumnProfile c : columns) {
      ColumnProfile next = declaredTypes.containsKey(c.name)
          ? c.withDeclaredType(declaredTypes.get(c.name)) : c;
      out.add(c.name.equals(uniqueKeyColumn) ? next.allDistinct(rowsProfiled) : next);
    }
    return new TableProfile(rowsRead, rowsProfiled, largeValueBytes, out, findings, growth,
        rowsPerMonth);
  }
}
