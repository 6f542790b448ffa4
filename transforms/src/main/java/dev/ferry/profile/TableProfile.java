package dev.ferry.profile;

import java.io.Serializable;
import java.util.List;

/**
 * What {@link ProfileRows} measured: rows read (including rows the reader rejected, which appear
 * as findings), rows whose values were profiled, one {@link ColumnProfile} per column in table
 * order, and the findings ordered by kind and column.
 */
public final class TableProfile implements Serializable {
  private static final long serialVersionUID = 1L;

  public final long rowsRead;
  public final long rowsProfiled;
  public final long largeValueBytes;
  public final List<ColumnProfile> columns;
  public final List<Finding> findings;

  public TableProfile(long rowsRead, long rowsProfiled, long largeValueBytes,
      List<ColumnProfile> columns, List<Finding> findings) {
    this.rowsRead = rowsRead;
    this.rowsProfiled = rowsProfiled;
    this.largeValueBytes = largeValueBytes;
    this.columns = List.copyOf(columns);
    this.findings = List.copyOf(findings);
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
}
