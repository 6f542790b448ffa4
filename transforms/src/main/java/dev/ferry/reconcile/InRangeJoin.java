package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.Digest;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.digest.RowDigest;
import dev.ferry.plan.KeyRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.KV;

/**
 * Reads both sides of one key range (or of its selected value buckets) and joins them there,
 * classifying every key whose rows it sees on both sides — the work of {@link JoinWithinRanges},
 * without Beam, so that the launcher can do the same for a few differing buckets
 * ({@link LocalBucketJoin}) without building a pipeline. Sorted sides are merged
 * ({@link SortedMerge}); with native row hashes only keys and hashes are merged and the keys whose
 * hashes differ are read whole; otherwise a range's source is held in memory while its target
 * streams by. Reads over the caller's connections ({@link SideConnections}), a connection or two
 * per side at a time: not thread-safe, one per DoFn instance or launcher.
 */
final class InRangeJoin {
  private static final Bucketing ONE_BUCKET = Bucketing.byKeyHash(1);
  private static final int FETCH_SIZE = 2000;

  /** Receives what joining a range produces. */
  interface Output {
    /** A key that is not a match. */
    void difference(KeyOutcome outcome);

    /** A source row without a target partner in its range, for a join across ranges. */
    void sourceOnly(KV<String, RowDigest> row);

    /** A target row without a source partner in its range, for a join across ranges. */
    void targetOnly(KV<String, RowDigest> row);

    /** The digest of the source rows read for the range (its count: the rows read). */
    void sourceRead(Digest digest);

    /** The digest of the target rows read for the range (its count: the rows read). */
    void targetRead(Digest digest);
  }

  private final RowCanonicalizer canonicalizer;
  private final boolean sorted;
  private final Bucketing buckets;
  // A key's rows lie in the same value bucket on both sides: one without a partner there has
  // none anywhere, so it is missing or extra without a join across ranges.
  private final boolean classifyHere;
  private final List<String> columns;
  private final double tolerance;
  private final RangeReader sourceReader;
  private final RangeReader targetReader;
  private final RowReader sourceHashes;
  private final RowReader targetHashes;
  private final KeyPredicates sourceKeys;
  private final KeyPredicates targetKeys;

  /**
   * {@code rowHashes}: a plan whose native row hashes may be used, or null; {@code buckets}: the
   * value buckets of the selections to join (each key classified in place), or null to join
   * whole ranges. Reads over {@code sourceConnections} and {@code targetConnections}.
   */
  InRangeJoin(ReconcileSide source, ReconcileSide target, RowCanonicalizer canonicalizer,
      PushdownPlan rowHashes, Bucketing buckets, SideConnections sourceConnections,
      SideConnections targetConnections) {
    this.canonicalizer = canonicalizer;
    this.sorted = ReconcileSide.sortedAlike(source, target);
    this.buckets = buckets;
    this.classifyHere = buckets != null;
    this.columns = canonicalizer.columnNames();
    this.tolerance = canonicalizer.floatTolerance();
    this.sourceReader = new RangeReader(source, canonicalizer, ONE_BUCKET, null, FETCH_SIZE,
        sourceConnections);
    this.targetReader = new RangeReader(target, canonicalizer, ONE_BUCKET, null, FETCH_SIZE,
        targetConnections);
    if (hashed(source, target, rowHashes)) {
      sourceHashes = RowReader.keysWithHash(source, rowHashes.rowHashSql(source),
          sourceConnections);
      targetHashes = RowReader.keysWithHash(target, rowHashes.rowHashSql(target),
          targetConnections);
      sourceKeys = new KeyPredicates(source.dialect(), source.rangeKeyColumns());
      targetKeys = new KeyPredicates(target.dialect(), target.rangeKeyColumns());
    } else {
      sourceHashes = null;
      targetHashes = null;
      sourceKeys = null;
      targetKeys = null;
    }
  }

  /** True when both sides can be merged by keys and native SQL row hashes. */
  static boolean hashed(ReconcileSide source, ReconcileSide target, PushdownPlan rowHashes) {
    return rowHashes != null && rowHashes.nativeHashes() && source.hasLookupKey()
        && ReconcileSide.sortedAlike(source, target);
  }

  /** Joins one range (or its selected buckets), counting keys and rows into {@code totals}. */
  void join(RangeSelection range, Output out, BundleTotals totals) throws Exception {
    if (sourceHashes != null && !range.range().nullKeys()) {
      mergeHashes(range, out, totals);
    } else if (sorted && !range.range().nullKeys()) {
      merge(range, out, totals);
    } else {
      hashJoin(range, out, totals);
    }
  }

  /** Both sides sorted by key and merged: memory for one key, whatever the range's size. */
  private void merge(RangeSelection range, Output out, BundleTotals totals) throws Exception {
    try (RangeReader.SortedRows s = sourceReader.sorted(range.range());
        RangeReader.SortedRows t = targetReader.sorted(range.range())) {
      SortedMerge.merge(s, t, range.toString(), new SortedMerge.Joined<RowDigest>() {
        @Override
        public void both(String key, List<RowDigest> source, List<RowDigest> target) {
          classify(key, source, target, out, totals);
        }

        @Override
        public void sourceOnly(String key, RowDigest row) {
          out.sourceOnly(KV.of(key, row));
        }

        @Override
        public void targetOnly(String key, RowDigest row) {
          out.targetOnly(KV.of(key, row));
        }
      });
      out.sourceRead(s.result.total());
      out.targetRead(t.result.total());
    }
  }

  /**
   * Both sides' keys and SQL row hashes merged: a key with one row on each side and equal
   * hashes is a match; every other key (hashes differ, duplicates, one side only) is read
   * again whole and joined by its digests, so it is classified exactly as by {@link #merge}.
   */
  private void mergeHashes(RangeSelection selection, Output out, BundleTotals totals)
      throws Exception {
    KeyRange range = selection.range();
    Recheck recheck = new Recheck(range.index(), out, totals);
    long[] matched = {0};
    try (RowHashes s = RowHashes.open(sourceHashes, sourceKeys, selection, buckets,
            canonicalizer, FETCH_SIZE);
        RowHashes t = RowHashes.open(targetHashes, targetKeys, selection, buckets,
            canonicalizer, FETCH_SIZE)) {
      SortedMerge.merge(s, t, selection.toString(), new SortedMerge.Joined<Long>() {
        @Override
        public void both(String key, List<Long> source, List<Long> target) throws Exception {
          if (source.size() == 1 && target.size() == 1 && source.get(0).equals(target.get(0))) {
            matched[0]++;
          } else {
            recheck.add(key);
          }
        }

        @Override
        public void sourceOnly(String key, Long hash) throws Exception {
          recheck.add(key);
        }

        @Override
        public void targetOnly(String key, Long hash) throws Exception {
          recheck.add(key);
        }
      });
      // Counted once per range: per key, the totals' map would cost more than the merge.
      totals.add(ReconcileFacts.SOURCE_ROWS_JOINED, matched[0]);
      totals.add(ReconcileFacts.TARGET_ROWS_JOINED, matched[0]);
      totals.add(ReconcileFacts.keys(KeyClass.MATCH), matched[0]);
      out.sourceRead(s.total());
      out.targetRead(t.total());
    }
    // After the sorted streams closed, so that the last keys are read over their connections.
    recheck.flush();
  }

  /** Keys whose rows are read again whole and joined, in batches. */
  private final class Recheck {
    private final int range;
    private final Output out;
    private final BundleTotals totals;
    private final List<String> keys = new ArrayList<>();

    Recheck(int range, Output out, BundleTotals totals) {
      this.range = range;
      this.out = out;
      this.totals = totals;
    }

    void add(String key) throws Exception {
      // A duplicated key on one side only arrives once per row.
      if (!keys.isEmpty() && keys.get(keys.size() - 1).equals(key)) {
        return;
      }
      keys.add(key);
      if (keys.size() >= KeyLookup.BATCH) {
        flush();
      }
    }

    void flush() throws Exception {
      if (keys.isEmpty()) {
        return;
      }
      List<Object[]> values = new ArrayList<>(keys.size());
      keys.forEach(k -> values.add(canonicalizer.decodeKey(k)));
      Map<String, List<RowDigest>> sourceByKey =
          ClassifyKeys.byKey(sourceReader.byKeys(values, range));
      Map<String, List<RowDigest>> targetByKey =
          ClassifyKeys.byKey(targetReader.byKeys(values, range));
      for (String key : keys) {
        List<RowDigest> s = sourceByKey.getOrDefault(key, List.of());
        List<RowDigest> t = targetByKey.getOrDefault(key, List.of());
        if (!s.isEmpty() && !t.isEmpty() || classifyHere && !(s.isEmpty() && t.isEmpty())) {
          classify(key, s, t, out, totals);
          continue;
        }
        for (RowDigest d : s) {
          out.sourceOnly(KV.of(key, d));
        }
        for (RowDigest d : t) {
          out.targetOnly(KV.of(key, d));
        }
      }
      keys.clear();
    }
  }

  /** The source side of the range held in memory, the target streamed past it. */
  private void hashJoin(RangeSelection range, Output out, BundleTotals totals) throws Exception {
    Map<String, List<RowDigest>> sourceByKey = new HashMap<>();
    RangeReader.Result read = sourceReader.read(range, row -> sourceByKey
        .computeIfAbsent(row.getKey(), k -> new ArrayList<>(1)).add(row.getValue()));
    out.sourceRead(read.total());
    Map<String, List<RowDigest>> targetByKey = new HashMap<>();
    Map<String, List<RowDigest>> targetOnly = new HashMap<>();
    read = targetReader.read(range, row -> {
      if (sourceByKey.containsKey(row.getKey())) {
        targetByKey.computeIfAbsent(row.getKey(), k -> new ArrayList<>(1)).add(row.getValue());
      } else if (classifyHere) {
        targetOnly.computeIfAbsent(row.getKey(), k -> new ArrayList<>(1)).add(row.getValue());
      } else {
        out.targetOnly(row);
      }
    });
    out.targetRead(read.total());
    targetOnly.forEach((key, rows) -> classify(key, List.of(), rows, out, totals));
    for (Map.Entry<String, List<RowDigest>> e : sourceByKey.entrySet()) {
      List<RowDigest> partners = targetByKey.get(e.getKey());
      if (partners == null && classifyHere) {
        partners = List.of();
      }
      if (partners == null) {
        for (RowDigest d : e.getValue()) {
          out.sourceOnly(KV.of(e.getKey(), d));
        }
        continue;
      }
      classify(e.getKey(), e.getValue(), partners, out, totals);
    }
  }

  private void classify(String key, List<RowDigest> source, List<RowDigest> target, Output out,
      BundleTotals totals) {
    KeyOutcome outcome = ClassifyKeys.account(key, source, target, columns, tolerance, totals);
    if (outcome != null) {
      out.difference(outcome);
    }
  }
}
