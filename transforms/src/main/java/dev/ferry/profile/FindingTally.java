package dev.ferry.profile;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts one kind of finding in one column and keeps a few example keys. The examples kept are
 * the smallest keys (shorter first, then in text order), not the first seen, so that a profile
 * names the same rows however the runner split the work.
 */
final class FindingTally implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Comparator<String> KEY_ORDER = new ShorterFirst();

  /** Shorter keys first, then text order: {"id":9} before {"id":10}. */
  private static final class ShorterFirst implements Comparator<String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(String a, String b) {
      int byLength = Integer.compare(a.length(), b.length());
      return byLength != 0 ? byLength : a.compareTo(b);
    }
  }

  private final int maxExamples;
  private long count;
  private long rows;
  private final TreeMap<String, String> examples = new TreeMap<>(KEY_ORDER);

  FindingTally(int maxExamples) {
    this.maxExamples = maxExamples;
  }

  /** Counts one occurrence carried by {@code rows} rows; {@code detail} may be null. */
  void add(String key, String detail, long rows) {
    count++;
    this.rows += rows;
    offer(key, detail);
  }

  private void offer(String key, String detail) {
    if (maxExamples == 0 || key == null) {
      return;
    }
    if (examples.size() < maxExamples) {
      examples.putIfAbsent(key, detail);
    } else if (KEY_ORDER.compare(key, examples.lastKey()) < 0 && !examples.containsKey(key)) {
      examples.pollLastEntry();
      examples.put(key, detail);
    }
  }

  void merge(FindingTally other) {
    count += other.count;
    rows += other.rows;
    for (Map.Entry<String, String> e : other.examples.entrySet()) {
      offer(e.getKey(), e.getValue());
    }
  }

  long count() {
    return count;
  }

  Finding toFinding(FindingKind kind, String column) {
    List<Finding.Example> list = new ArrayList<>(examples.size());
    examples.forEach((key, detail) -> list.add(new Finding.Example(key, detail)));
    return new Finding(kind, column, count, rows, list);
  }
}
