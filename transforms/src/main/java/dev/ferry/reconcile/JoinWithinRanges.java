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
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads both sides of each key range in one task and joins them there: a key whose rows are all
 * inside the range on both sides is classified on the spot. A key found on one side only
 * ({@link #SOURCE_UNMATCHED}, {@link #TARGET_UNMATCHED}) goes on to the CoGroupByKey join
 * ({@link ClassifyKeys}), which decides whether it is missing, extra, or has its partner in
 * another range. Both sides' ranges hold the same keys (binary key order, {@link KeyPredicates}),
 * so normally only missing and extra rows are shuffled, not the whole table — which is what
 * makes a full comparison affordable on runners where every shuffled element costs, such as
 * the DirectRunner.
 *
 * <p>When both sides sort their keys alike ({@link ReconcileSide#sortedAlike}: the key is copied
 * unchanged and of an ordered kind on both), each range is read sorted by key on both sides at
 * once and merged ({@link SortedMerge}), holding one key's rows at a time, so memory does not
 * grow with the table. Otherwise a range's source digests are held in memory while its target
 * streams by: plan enough ranges that one holds at most about a million rows.
 *
 * <p>With native row hashes ({@link PushdownPlan#nativeHashes}) the sorted sides carry only keys
 * and 64-bit row hashes computed in the databases ({@link RowHashes}); keys with equal hashes
 * match, and only the others are read whole, in batches, and classified from their digests.
 * {@link #ofBuckets} does the same for the selected value buckets of each range (the fast path),
 * and classifies keys found on one side only as missing or extra on the spot: both sides bucket a
 * key by its value, so its partner, if any, is in the same bucket.
 */
final class JoinWithinRanges extends PTransform<PCollection<RangeSelection>, PCollectionTuple> {
  static final TupleTag<KeyOutcome> DIFFERENCES = new TupleTag<KeyOutcome>() {};
  static final TupleTag<KV<String, Long>> FACTS = new TupleTag<KV<String, Long>>() {};
  static final TupleTag<KV<String, RowDigest>> SOURCE_UNMATCHED =
      new TupleTag<KV<String, RowDigest>>() {};
  static final TupleTag<KV<String, RowDigest>> TARGET_UNMATCHED =
      new TupleTag<KV<String, RowDigest>>() {};
  static final TupleTag<Digest> SOURCE_DIGESTS = new TupleTag<Digest>() {};
  static final TupleTag<Digest> TARGET_DIGESTS = new TupleTag<Digest>() {};

  private final ReconcileSide source;
  private final ReconcileSide target;
  private final RowCanonicalizer canonicalizer;
  private final PushdownPlan rowHashes;
  private final Bucketing buckets;

  /** {@code rowHashes}: a plan whose native row hashes may be used, or null. */
  JoinWithinRanges(ReconcileSide source, ReconcileSide target, RowCanonicalizer canonicalizer,
      PushdownPlan rowHashes) {
    this(source, target, canonicalizer, rowHashes, null);
  }

  private JoinWithinRanges(ReconcileSide source, ReconcileSide target,
      RowCanonicalizer canonicalizer, PushdownPlan rowHashes, Bucketing buckets) {
    this.source = source;
    this.target = target;
    this.canonicalizer = canonicalizer;
    this.rowHashes = rowHashes;
    this.buckets = buckets;
  }

  /**
   * Joins only the selected value buckets of each range, by their SQL row hashes: for the fast
   * path, after the bucket checksums found where the sides differ. Needs
   * {@link #canJoinBuckets}.
   */
  static JoinWithinRanges ofBuckets(ReconcileSide source, ReconcileSide target,
      RowCanonicalizer canonicalizer, PushdownPlan rowHashes, Bucketing buckets) {
    if (!canJoinBuckets(source, target, rowHashes, buckets)) {
      throw new IllegalArgumentException("joining buckets needs value buckets, native row"
          + " hashes and keys that sort alike");
    }
    return new JoinWithinRanges(source, target, canonicalizer, rowHashes, buckets);
  }

  /** True when {@link #ofBuckets} can join the selected buckets of these sides. */
  static boolean canJoinBuckets(ReconcileSide source, ReconcileSide target,
      PushdownPlan rowHashes, Bucketing buckets) {
    return buckets.byValue() && hashed(source, target, rowHashes);
  }

  private static boolean hashed(ReconcileSide source, ReconcileSide target,
      PushdownPlan rowHashes) {
    return rowHashes != null && rowHashes.nativeHashes() && source.hasLookupKey()
        && ReconcileSide.sortedAlike(source, target);
  }

  @Override
  public PCollectionTuple expand(PCollection<RangeSelection> ranges) {
    PCollectionTuple out = ranges.apply("ReadAndJoin", ParDo.of(new JoinFn(source, target,
        canonicalizer, rowHashes, buckets)).withOutputTags(DIFFERENCES, TupleTagList.of(FACTS)
        .and(SOURCE_UNMATCHED).and(TARGET_UNMATCHED).and(SOURCE_DIGESTS).and(TARGET_DIGESTS)));
    KvCoder<String, RowDigest> rows = KvCoder.of(StringUtf8Coder.of(), RowDigest.Coder.of());
    out.get(DIFFERENCES).setCoder(KeyOutcome.Coder.of());
    out.get(FACTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    out.get(SOURCE_UNMATCHED).setCoder(rows);
    out.get(TARGET_UNMATCHED).setCoder(rows);
    out.get(SOURCE_DIGESTS).setCoder(Digest.Coder.of());
    out.get(TARGET_DIGESTS).setCoder(Digest.Coder.of());
    return out;
  }

  private static final class JoinFn extends DoFn<RangeSelection, KeyOutcome> {
    private static final Bucketing ONE_BUCKET = Bucketing.byKeyHash(1);

    private final ReconcileSide source;
    private final ReconcileSide target;
    private final RowCanonicalizer canonicalizer;
    private final Counter sourceRows;
    private final Counter targetRows;
    private final Counter unmatched = Metrics.counter(ReconcileFacts.NAMESPACE,
        "rowsWithoutPartnerInRange");
    private final boolean sorted;
    private final Bucketing buckets;
    // A key's rows lie in the same value bucket on both sides: one without a partner there has
    // none anywhere, so it is missing or extra without a join across ranges.
    private final boolean classifyHere;
    private final String sourceHashSql;
    private final String targetHashSql;
    private final List<String> columns;
    private final double tolerance;
    private transient SideConnections sourceConnections;
    private transient SideConnections targetConnections;
    private transient RangeReader sourceReader;
    private transient RangeReader targetReader;
    private transient RowReader sourceHashes;
    private transient RowReader targetHashes;
    private transient KeyPredicates sourceKeys;
    private transient KeyPredicates targetKeys;
    private transient BundleTotals totals;

    JoinFn(ReconcileSide source, ReconcileSide target, RowCanonicalizer canonicalizer,
        PushdownPlan rowHashes, Bucketing buckets) {
      this.source = source;
      this.target = target;
      this.canonicalizer = canonicalizer;
      this.sourceRows = Metrics.counter(ReconcileFacts.NAMESPACE, "sourceRowsRead");
      this.targetRows = Metrics.counter(ReconcileFacts.NAMESPACE, "targetRowsRead");
      this.sorted = ReconcileSide.sortedAlike(source, target);
      boolean hashed = hashed(source, target, rowHashes);
      this.buckets = buckets;
      this.classifyHere = buckets != null;
      this.sourceHashSql = hashed ? rowHashes.rowHashSql(source) : null;
      this.targetHashSql = hashed ? rowHashes.rowHashSql(target) : null;
      this.columns = canonicalizer.columnNames();
      this.tolerance = canonicalizer.floatTolerance();
    }

    @Setup
    public void setup() {
      sourceConnections = new SideConnections(source);
      targetConnections = new SideConnections(target);
      sourceReader = new RangeReader(source, canonicalizer, ONE_BUCKET, null, 2000,
          sourceConnections);
      targetReader = new RangeReader(target, canonicalizer, ONE_BUCKET, null, 2000,
          targetConnections);
      if (sourceHashSql != null) {
        sourceHashes = RowReader.keysWithHash(source, sourceHashSql, sourceConnections);
        targetHashes = RowReader.keysWithHash(target, targetHashSql, targetConnections);
        sourceKeys = new KeyPredicates(source.dialect(), source.rangeKeyColumns());
        targetKeys = new KeyPredicates(target.dialect(), target.rangeKeyColumns());
      }
    }

    @StartBundle
    public void startBundle() {
      totals = new BundleTotals();
    }

    @ProcessElement
    public void process(@Element RangeSelection range, MultiOutputReceiver out)
        throws Exception {
      if (sourceHashes != null && !range.range().nullKeys()) {
        mergeHashes(range, out);
      } else if (sorted && !range.range().nullKeys()) {
        merge(range, out);
      } else {
        hashJoin(range, out);
      }
    }

    /** Both sides sorted by key and merged: memory for one key, whatever the range's size. */
    private void merge(RangeSelection range, MultiOutputReceiver out) throws Exception {
      try (RangeReader.SortedRows s = sourceReader.sorted(range.range());
          RangeReader.SortedRows t = targetReader.sorted(range.range())) {
        SortedMerge.merge(s, t, range.toString(), new SortedMerge.Joined<RowDigest>() {
          @Override
          public void both(String key, List<RowDigest> source, List<RowDigest> target) {
            classify(key, source, target, out);
          }

          @Override
          public void sourceOnly(String key, RowDigest row) {
            unmatched.inc();
            out.get(SOURCE_UNMATCHED).output(KV.of(key, row));
          }

          @Override
          public void targetOnly(String key, RowDigest row) {
            unmatched.inc();
            out.get(TARGET_UNMATCHED).output(KV.of(key, row));
          }
        });
        sourceRows.inc(s.result.rows);
        targetRows.inc(t.result.rows);
        out.get(SOURCE_DIGESTS).output(s.result.total());
        out.get(TARGET_DIGESTS).output(t.result.total());
      }
    }

    /**
     * Both sides' keys and SQL row hashes merged: a key with one row on each side and equal
     * hashes is a match; every other key (hashes differ, duplicates, one side only) is read
     * again whole and joined by its digests, so it is classified exactly as by {@link #merge}.
     */
    private void mergeHashes(RangeSelection selection, MultiOutputReceiver out)
        throws Exception {
      KeyRange range = selection.range();
      Recheck recheck = new Recheck(range.index(), out);
      long[] matched = {0};
      try (RowHashes s = RowHashes.open(sourceHashes, sourceKeys, selection, buckets,
              canonicalizer, 2000);
          RowHashes t = RowHashes.open(targetHashes, targetKeys, selection, buckets,
              canonicalizer, 2000)) {
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
        recheck.flush();
        // Counted once per range: per key, the totals' map would cost more than the merge.
        totals.add(ReconcileFacts.SOURCE_ROWS_JOINED, matched[0]);
        totals.add(ReconcileFacts.TARGET_ROWS_JOINED, matched[0]);
        totals.add(ReconcileFacts.keys(KeyClass.MATCH), matched[0]);
        sourceRows.inc(s.rows());
        targetRows.inc(t.rows());
        out.get(SOURCE_DIGESTS).output(s.total());
        out.get(TARGET_DIGESTS).output(t.total());
      }
    }

    /** Keys whose rows are read again whole and joined, in batches. */
    private final class Recheck {
      private final int range;
      private final MultiOutputReceiver out;
      private final List<String> keys = new ArrayList<>();

      Recheck(int range, MultiOutputReceiver out) {
        this.range = range;
        this.out = out;
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
            classify(key, s, t, out);
            continue;
          }
          for (RowDigest d : s) {
            unmatched.inc();
            out.get(SOURCE_UNMATCHED).output(KV.of(key, d));
          }
          for (RowDigest d : t) {
            unmatched.inc();
            out.get(TARGET_UNMATCHED).output(KV.of(key, d));
          }
        }
        keys.clear();
      }
    }

    /** The source side of the range held in memory, the target streamed past it. */
    private void hashJoin(RangeSelection range, MultiOutputReceiver out) throws Exception {
      Map<String, List<RowDigest>> sourceByKey = new HashMap<>();
      RangeReader.Result read = sourceReader.read(range, row -> sourceByKey
          .computeIfAbsent(row.getKey(), k -> new ArrayList<>(1)).add(row.getValue()));
      sourceRows.inc(read.rows);
      out.get(SOURCE_DIGESTS).output(read.total());
      Map<String, List<RowDigest>> targetByKey = new HashMap<>();
      Map<String, List<RowDigest>> targetOnly = new HashMap<>();
      read = targetReader.read(range, row -> {
        if (sourceByKey.containsKey(row.getKey())) {
          targetByKey.computeIfAbsent(row.getKey(), k -> new ArrayList<>(1)).add(row.getValue());
        } else if (classifyHere) {
          targetOnly.computeIfAbsent(row.getKey(), k -> new ArrayList<>(1)).add(row.getValue());
        } else {
          unmatched.inc();
          out.get(TARGET_UNMATCHED).output(row);
        }
      });
      targetRows.inc(read.rows);
      out.get(TARGET_DIGESTS).output(read.total());
      targetOnly.forEach((key, rows) -> classify(key, List.of(), rows, out));
      for (Map.Entry<String, List<RowDigest>> e : sourceByKey.entrySet()) {
        List<RowDigest> partners = targetByKey.get(e.getKey());
        if (partners == null && classifyHere) {
          partners = List.of();
        }
        if (partners == null) {
          for (RowDigest d : e.getValue()) {
            unmatched.inc();
            out.get(SOURCE_UNMATCHED).output(KV.of(e.getKey(), d));
          }
          continue;
        }
        classify(e.getKey(), e.getValue(), partners, out);
      }
    }

    private void classify(String key, List<RowDigest> source, List<RowDigest> target,
        MultiOutputReceiver out) {
      KeyOutcome outcome = ClassifyKeys.account(key, source, target, columns, tolerance, totals);
      if (outcome != null) {
        out.get(DIFFERENCES).output(outcome);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      totals.flush(context, FACTS);
    }

    @Teardown
    public void teardown() {
      if (sourceConnections != null) {
        sourceConnections.close();
        targetConnections.close();
      }
    }
  }
}
