package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.Digest;
import dev.ferry.plan.KeyRange;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The fast path's first step done before the pipeline is built, the way key ranges are planned:
 * both databases compute the digest of every bucket of every range at the same time (a thread
 * per side, {@link BothSides}; on each side up to {@code connectionsPerSide} ranges at once, one
 * per connection), and the digests are compared in the launcher. What reaches the pipeline
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
   * Checksums {@code ranges} on both sides in their databases, concurrently, and compares them,
   * one range at a time per side. Needs a {@code plan} whose SQL checksums are available.
   */
  public static BucketComparison compute(ReconcileSide source, ReconcileSide target,
      PushdownPlan plan, Bucketing bucketing, List<KeyRange> ranges) throws SQLException {
    try (SideConnections sourceConnections = new SideConnections(source.endpoint());
        SideConnections targetConnections = new SideConnections(target.endpoint())) {
      return compute(source, target, plan, bucketing, ranges, sourceConnections,
          targetConnections, 1);
    }
  }

  /**
   * {@link #compute(ReconcileSide, ReconcileSide, PushdownPlan, Bucketing, List)} over
   * connections the caller keeps, one of each side's for the time of the call, with up to
   * {@code connectionsPerSide} ranges checksummed at once on each side: the others on connections
   * of their own, opened and closed here. A large table's checksums then use more than one core
   * of each server (MySQL runs a query on one; PostgreSQL on a few at most).
   */
  public static BucketComparison compute(ReconcileSide source, ReconcileSide target,
      PushdownPlan plan, Bucketing bucketing, List<KeyRange> ranges,
      SideConnections sourceConnections, SideConnections targetConnections,
      int connectionsPerSide) throws SQLException {
    Objects.requireNonNull(bucketing, "bucketing");
    if (!Objects.requireNonNull(plan, "plan").available()) {
      throw new IllegalArgumentException("no SQL checksums: " + plan.problem());
    }
    if (ranges == null || ranges.isEmpty()) {
      throw new IllegalArgumentException("at least one key range is required");
    }
    if (connectionsPerSide < 1) {
      throw new IllegalArgumentException("connectionsPerSide must be at least 1, got "
          + connectionsPerSide);
    }
    BothSides<Map<Integer, Map<Long, Digest>>> digests = BothSides.start("checksums",
        () -> checksums(source, plan, bucketing, ranges, sourceConnections, connectionsPerSide),
        () -> checksums(target, plan, bucketing, ranges, targetConnections, connectionsPerSide));
    return compare(ranges, digests.source(), digests.target());
  }

  /**
   * Every range's bucket digests on {@code side}: this thread on a kept connection and up to
   * {@code parallel - 1} helpers on their own take ranges from one queue until it is empty. A
   * failure empties the queue, so the others stop after their current range.
   */
  private static Map<Integer, Map<Long, Digest>> checksums(ReconcileSide side, PushdownPlan plan,
      Bucketing bucketing, List<KeyRange> ranges, SideConnections connections, int parallel)
      throws SQLException {
    Queue<KeyRange> todo = new ConcurrentLinkedQueue<>(ranges);
    Map<Integer, Map<Long, Digest>> out = new ConcurrentHashMap<>();
    int helpers = Math.min(parallel, ranges.size()) - 1;
    ExecutorService pool = helpers == 0 ? null : Executors.newFixedThreadPool(helpers, r -> {
      Thread t = new Thread(r, "ferry-" + side.role() + "-checksums");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Void>> others = new ArrayList<>();
      for (int i = 0; i < helpers; i++) {
        others.add(pool.submit(() -> {
          try (SideConnections own = new SideConnections(side.endpoint())) {
            return own.with(c -> drain(c, side, plan, bucketing, todo, out));
          }
        }));
      }
      Exception failure = null;
      try {
        connections.with(c -> drain(c, side, plan, bucketing, todo, out));
      } catch (SQLException | RuntimeException e) {
        todo.clear();
        failure = e;
      }
      for (Future<Void> other : others) {
        try {
          other.get();
        } catch (ExecutionException e) {
          todo.clear();
          failure = failure != null ? failure : e.getCause() instanceof Exception
              ? (Exception) e.getCause() : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("interrupted while checksumming " + side.role(), e);
        }
      }
      if (failure instanceof SQLException) {
        throw (SQLException) failure;
      }
      if (failure != null) {
        throw (RuntimeException) failure;
      }
      return out;
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private static Void drain(Connection c, ReconcileSide side, PushdownPlan plan,
      Bucketing bucketing, Queue<KeyRange> todo, Map<Integer, Map<Long, Digest>> out)
      throws SQLException {
    KeyPredicates keys = new KeyPredicates(side.dialect(), side.rangeKeyColumns());
    for (KeyRange range = todo.poll(); range != null; range = todo.poll()) {
      out.put(range.index(), SqlBucketDigests.checksum(c, side, plan, bucketing, keys, range));
    }
    return null;
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
