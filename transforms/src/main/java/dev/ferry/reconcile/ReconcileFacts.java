package dev.ferry.reconcile;

/**
 * Names of the totals a reconciliation produces ({@link Reconcile#FACTS}, summed per name) and
 * of its metrics, in one place.
 */
public final class ReconcileFacts {
  /** Namespace of the reconciliation's Beam metrics. */
  public static final String NAMESPACE = "ferry.reconcile";

  /** Keys per class, {@code keys.} followed by the class name ({@link KeyClass#label()}). */
  public static final String KEYS_PREFIX = "keys.";
  /** Rows joined row by row, per side. */
  public static final String SOURCE_ROWS_JOINED = "rows.source.joined";
  public static final String TARGET_ROWS_JOINED = "rows.target.joined";
  /** Rows in buckets whose digests are equal on both sides: matched without a join. */
  public static final String ROWS_IN_EQUAL_BUCKETS = "rows.equalBuckets";
  /** Rows of both sides in buckets whose digests differ: what the fast path reads and joins. */
  public static final String ROWS_IN_DIFFERING_BUCKETS = "rows.differingBuckets";
  public static final String SOURCE_ROWS_REJECTED = "rows.source.rejectedByMapping";
  public static final String BUCKETS = "buckets.compared";
  public static final String BUCKETS_DIFFERING = "buckets.differing";
  /** Whole-table digests: {@code digest.source.count}, {@code .lane1}, {@code .lane2}. */
  public static final String SOURCE_DIGEST = "digest.source";
  public static final String TARGET_DIGEST = "digest.target";

  private ReconcileFacts() {}

  public static String keys(KeyClass c) {
    return KEY_FACTS[c.ordinal()];
  }

  // Named once: the in-range joins count every key.
  private static final String[] KEY_FACTS = java.util.Arrays.stream(KeyClass.values())
      .map(c -> KEYS_PREFIX + c.label()).toArray(String[]::new);
}
