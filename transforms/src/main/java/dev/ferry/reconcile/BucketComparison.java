package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.Digest;
import dev.ferry.plan.KeyRange;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fast path's first step done before the pipeline is built, the way key ranges are planned:
 * both databases compute the digest of every bucket of every range at the same time (one
 * connection per side, the ranges one after another on it, in a thread per side:
 * {@link BothSides}), and the digests are compared in the launcher. What reaches the pipeline
 * ({@link Reconcile#withComparedBuckets}) or the launcher's own join ({@link LocalBucketJoin}) is
 * only the selection of differing buckets; when there is none, no row needs to be read at all.
 *
 * <p>Only aggregates cross the network: per bucket a row count and two lane sums. The result is
 * the same as the pipeline's own SQL checksum step ({@link SqlBucketDigests} and
 * {@link CompareBuckets}), which remains for pipelines that are built without a launcher.
 */
public final class BucketComparison implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<RangeSelection> differing;
  private final Map<String, Long> facts;

  private BucketComparison(List<RangeSelection> differing, Map<String, Long> facts) {
    this.differing = List.copyOf(differing);
    this.facts = Map.copyOf(facts);
  }

  /**
   * Checksums {@code ranges} on both sides in their databases, concurrently, and compares them.
   * Needs a {@code plan} whose SQL checksums are available.
   */
  public static BucketComparison compute(ReconcileSide source, ReconcileSide target,
      PushdownPlan plan, Bucketing bucketing, List<KeyRange> ranges) throws SQLException {
    try (SideConnections sourceConnections = new SideConnections(source.endpoint());
        SideConnections targetConnections = new SideConnections(target.endpoint())) {
      return compute(source, target, plan, bucketing, ranges, sourceConnections,
          targetConnections);
    }
  }

  /**
   * {@link #compute(ReconcileSide, ReconcileSide, PushdownPlan, Bucketing, List)} over
   * connections the caller keeps, one of each side's for the time of the call.
   */
  public static BucketComparison compute(ReconcileSide source, ReconcileSide target,
      PushdownPlan plan, Bucketing bucketing, List<KeyRange> ranges,
      SideConnections sourceConnections, SideConnections targetConnections)
      throws SQLException {
    Objects.requireNonNull(bucketing, "bucketing");
    if (!Objects.requireNonNull(plan, "plan").available()) {
      throw new IllegalArgumentException("no SQL checksums: " + plan.problem());
    }
    if (ranges == null || ranges.isEmpty()) {
      throw new IllegalArgumentException("at least one key range is required");
    }
    BothSides<Map<Integer, Map<Long, Digest>>> digests = BothSides.start("checksums",
        () -> checksums(source, plan, bucketing, ranges, sourceConnections),
        () -> checksums(target, plan, bucketing, ranges, targetConnections));
    return compare(ranges, digests.source(), digests.target());
  }

  private static Map<Integer, Map<Long, Digest>> checksums(ReconcileSide side, PushdownPlan plan,
      Bucketing bucketing, List<KeyRange> ranges, SideConnections connections)
      throws SQLException {
    KeyPredicates keys = new KeyPredicates(side.dialect(), side.rangeKeyColumns());
    return connections.with(c -> {
      Map<Integer, Map<Long, Digest>> out = new LinkedHashMap<>();
      for (KeyRange range : ranges) {
        out.put(range.index(), SqlBucketDigests.checksum(c, side, plan, bucketing, keys, range));
      }
      return out;
    });
  }

  /** Compares per-range bucket digests of both sides (visible for tests). */
  static BucketComparison compare(List<KeyRange> ranges,
      Map<Integer, Map<Long, Digest>> source, Map<Integer, Map<Long, Digest>> target) {
    Map<String, Long> facts = new LinkedHashMap<>();
    List<RangeSelection> differing = new ArrayList<>();
    Digest sourceTotal = Digest.empty();
    Digest targetTotal = Digest.empty();
    for (KeyRange range : ranges) {
      Map<Long, Digest> s = source.getOrDefault(range.index(), Map.of());
      Map<Long, Digest> t = target.getOrDefault(range.index(), Map.of());
      sourceTotal = s.values().stream().reduce(sourceTotal, Digest::plus);
      targetTotal = t.values().stream().reduce(targetTotal, Digest::plus);
      RangeSelection selection = CompareBuckets.differing(range, s, t,
          (name, n) -> facts.merge(name, n, Long::sum));
      if (selection != null) {
        differing.add(selection);
      }
    }
    putDigest(facts, ReconcileFacts.SOURCE_DIGEST, sourceTotal);
    putDigest(facts, ReconcileFacts.TARGET_DIGEST, targetTotal);
    return new BucketComparison(differing, facts);
  }

  private static void putDigest(Map<String, Long> facts, String prefix, Digest d) {
    facts.put(prefix + ".count", d.count());
    facts.put(prefix + ".lane1", d.lane1());
    facts.put(prefix + ".lane2", d.lane2());
  }

  /** The ranges with differing buckets, each with only those buckets selected. */
  public List<RangeSelection> differing() {
    return differing;
  }

  /**
   * The totals the comparison establishes ({@link ReconcileFacts}): buckets compared and
   * differing, rows in equal buckets, and both sides' whole-table digests.
   */
  public Map<String, Long> facts() {
    return facts;
  }

  public long bucketsCompared() {
    return facts.getOrDefault(ReconcileFacts.BUCKETS, 0L);
  }

  public long bucketsDiffering() {
    return facts.getOrDefault(ReconcileFacts.BUCKETS_DIFFERING, 0L);
  }

  /** Rows of both sides in the differing buckets: what is left to read and join. */
  public long rowsToJoin() {
    return facts.getOrDefault(ReconcileFacts.ROWS_IN_DIFFERING_BUCKETS, 0L);
  }

  @Override
  public String toString() {
    return bucketsDiffering() + " of " + bucketsCompared() + " buckets differ in "
        + differing.size() + " key ranges, " + rowsToJoin() + " rows to join";
  }
}
