package dev.ferry.reconcile;

import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.map.MappingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Point lookups of rows by their compared key, in batches: for a report's examples, for
 * sampling and for repair. Reads only.
 */
public final class KeyLookup {
  /** Keys per statement; well below every engine's parameter limit. */
  static final int BATCH = 500;

  private final ReconcileSide side;
  private final RowReader reader;
  private final KeyPredicates keys;

  public KeyLookup(ReconcileSide side) {
    this(side, null);
  }

  /** Reads over {@code connections} (null: a connection of its own per read). */
  public KeyLookup(ReconcileSide side, SideConnections connections) {
    this.side = side;
    this.reader = new RowReader(side, connections);
    this.keys = new KeyPredicates(side.dialect(), side.lookupKeyColumns());
  }

  /** Rows as read (in the side's read layout) whose key is one of {@code keyValues}. */
  public List<Object[]> readRows(List<Object[]> keyValues) throws Exception {
    List<Object[]> rows = new ArrayList<>();
    for (int from = 0; from < keyValues.size(); from += BATCH) {
      List<Object[]> batch = new ArrayList<>();
      for (Object[] key : keyValues.subList(from, Math.min(keyValues.size(), from + BATCH))) {
        batch.add(keys.converted(key).toArray());
      }
      List<Object> params = new ArrayList<>();
      reader.read(keys.in(batch, params), params, BATCH, rows::add);
    }
    return rows;
  }

  /** One row found by key, in the compared layout, or why the mapping rejected it. */
  public static final class Found {
    private final Object[] values;
    private final String rejection;

    Found(Object[] values, String rejection) {
      this.values = values;
      this.rejection = rejection;
    }

    /** The compared values, or null when the mapping rejected the row. */
    public Object[] values() {
      return values;
    }

    /** The mapping's reason for rejecting the row, or null. */
    public String rejection() {
      return rejection;
    }
  }

  /**
   * The rows of each canonical key in {@code canonicalKeys}, in the compared layout, grouped by
   * canonical key; keys with no row are absent.
   */
  public Map<String, List<Found>> compared(RowCanonicalizer canonicalizer,
      List<String> canonicalKeys) throws Exception {
    List<Object[]> keyValues = new ArrayList<>();
    for (String key : canonicalKeys) {
      keyValues.add(canonicalizer.decodeKey(key));
    }
    Map<String, List<Found>> byKey = new LinkedHashMap<>();
    for (Object[] read : readRows(keyValues)) {
      Found found;
      String key;
      try {
        Object[] values = side.toCompared(read);
        found = new Found(values, null);
        key = canonicalizer.key(values);
      } catch (MappingException e) {
        found = new Found(null, e.getMessage());
        key = canonicalizer.keyOf(side.comparedKeyOf(read));
      }
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(found);
    }
    return byKey;
  }
}
