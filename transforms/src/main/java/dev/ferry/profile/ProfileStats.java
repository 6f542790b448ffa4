package dev.ferry.profile;

import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mergeable state of a profile: row counts, one {@link ColumnStats} per column and the
 * findings tallied so far. Workers build one per bundle and the runner merges them; a partial
 * that only carries findings (duplicate keys) has no columns.
 */
final class ProfileStats implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAX_MONTHS = 1200;

  long rowsRead;
  long rowsProfiled;
  /** Rows by the growth window's created-at column: in the last 30 days, and in the last 90. */
  long grown30;
  long grown90;
  /** Rows by the month of the created-at column (year × 100 + month), for the growth chart. */
  final Map<Integer, long[]> months = new HashMap<>();
  final ColumnStats[] columns;
  private final int maxExamples;
  private final Map<FindingKey, FindingTally> findings = new HashMap<>();

  /** A finding's identity: its kind and column (null for the key as a whole). */
  record FindingKey(FindingKind kind, String column) implements Serializable {}

  ProfileStats(int columnCount, int maxExamples) {
    this.columns = new ColumnStats[columnCount];
    for (int i = 0; i < columnCount; i++) {
      columns[i] = new ColumnStats();
    }
    this.maxExamples = maxExamples;
  }

  FindingTally tally(FindingKind kind, String column) {
    return findings.computeIfAbsent(new FindingKey(kind, column),
        k -> new FindingTally(maxExamples));
  }

  boolean isEmpty() {
    return rowsRead == 0 && rowsProfiled == 0 && findings.isEmpty();
  }

  void merge(ProfileStats other) {
    rowsRead += other.rowsRead;
    rowsProfiled += other.rowsProfiled;
    grown30 += other.grown30;
    grown90 += other.grown90;
    other.months.forEach((month, n) -> addMonth(month, n[0]));
    if (other.columns.length == columns.length) {
      for (int i = 0; i < columns.length; i++) {
        columns[i].merge(other.columns[i]);
      }
    } else if (other.columns.length != 0) {
      throw new IllegalStateException("profiles of " + other.columns.length + " and "
          + columns.length + " columns cannot be merged");
    }
    other.findings.forEach((key, tally) -> tally(key.kind(), key.column()).merge(tally));
  }

  /**
   * Counts {@code rows} in a month. Months beyond {@value #MAX_MONTHS} distinct ones (a column
   * of mistyped years) are left out, so a profile's size stays bounded; the chart shows the rest.
   */
  void addMonth(int month, long rows) {
    long[] n = months.get(month);
    if (n != null) {
      n[0] += rows;
    } else if (months.size() < MAX_MONTHS) {
      months.put(month, new long[] {rows});
    }
  }

  TableProfile toProfile(Layout layout, long largeValueBytes, GrowthWindow growth) {
    List<ColumnProfile> columnProfiles = new ArrayList<>(columns.length);
    List<Finding> list = new ArrayList<>();
    findings.forEach((key, tally) -> list.add(tally.toFinding(key.kind(), key.column())));
    for (int i = 0; i < columns.length; i++) {
      Column c = layout.column(i);
      String type = c.typeName() + (c.size() > 0 && c.size() < Integer.MAX_VALUE
          ? "(" + c.size() + (c.scale() > 0 ? "," + c.scale() : "") + ")" : "");
      columnProfiles.add(columns[i].toProfile(c.name(), type));
      long zoneless = columns[i].zoneless;
      if (zoneless > 0) {
        list.add(new Finding(FindingKind.ZONELESS_TIMESTAMP, c.name(), zoneless, zoneless,
            List.of()));
      }
    }
    list.sort(Comparator.comparing((Finding f) -> f.kind)
        .thenComparing(f -> f.column == null ? "" : f.column));
    Map<String, Long> perMonth = null;
    if (growth != null) {
      perMonth = new java.util.TreeMap<>();
      for (Map.Entry<Integer, long[]> e : months.entrySet()) {
        perMonth.put(String.format("%04d-%02d", e.getKey() / 100, e.getKey() % 100),
            e.getValue()[0]);
      }
    }
    return new TableProfile(rowsRead, rowsProfiled, largeValueBytes, columnProfiles, list,
        growth == null ? null : new Growth(growth.column(), grown30, grown90), perMonth);
  }
}
