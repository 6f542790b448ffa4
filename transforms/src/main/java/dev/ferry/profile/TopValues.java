package dev.ferry.profile;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of each value of a column while it has few distinct values ({@value #MAX_VALUES} at
 * most, each short): what a report shows as the column's top values. The first value beyond
 * that limit drops the counts for good, so a column with many distinct values costs one map
 * lookup per value until then and nothing after; merging stays exact, as a partial that gave up
 * makes the merge give up too.
 */
final class TopValues implements Serializable {
  private static final long serialVersionUID = 1L;
  /** More distinct values than this and the column is not low-cardinality. */
  static final int MAX_VALUES = 20;
  /** Longer text is not a category (a label or a code); it gives up the counts. */
  static final int MAX_CHARS = 100;

  // Null once the column has proven to hold too many or too long values.
  private HashMap<Object, long[]> counts = new HashMap<>();

  void add(Object v) {
    if (counts == null) {
      return;
    }
    long[] n = counts.get(v);
    if (n != null) {
      n[0]++;
      return;
    }
    if (counts.size() >= MAX_VALUES || v instanceof String && ((String) v).length() > MAX_CHARS) {
      counts = null;
      return;
    }
    counts.put(v, new long[] {1});
  }

  /** Gives up the counts: a value that cannot be shown (binary) was seen. */
  void giveUp() {
    counts = null;
  }

  void merge(TopValues other) {
    if (counts == null) {
      return;
    }
    if (other.counts == null) {
      counts = null;
      return;
    }
    for (Map.Entry<Object, long[]> e : other.counts.entrySet()) {
      long[] n = counts.get(e.getKey());
      if (n != null) {
        n[0] += e.getValue()[0];
      } else if (counts.size() >= MAX_VALUES) {
        counts = null;
        return;
      } else {
        counts.put(e.getKey(), new long[] {e.getValue()[0]});
      }
    }
  }

  /** The values by count, most frequent first (ties by text), or null when not kept. */
  List<ColumnProfile.ValueCount> toList() {
    if (counts == null || counts.isEmpty()) {
      return null;
    }
    List<ColumnProfile.ValueCount> list = new ArrayList<>(counts.size());
    counts.forEach((v, n) -> list.add(new ColumnProfile.ValueCount(render(v), n[0])));
    list.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count())
        : a.value().compareTo(b.value()));
    return list;
  }

  private static String render(Object v) {
    return v instanceof BigDecimal ? ((BigDecimal) v).toPlainString() : v.toString();
  }
}
