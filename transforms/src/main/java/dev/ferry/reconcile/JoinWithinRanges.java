package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.Digest;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.digest.RowDigest;
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
 * key by its value, so its partner, if any, is in the same bucket. The joining itself is
 * {@link InRangeJoin}'s, which the launcher also uses for a few differing buckets
 * ({@link LocalBucketJoin}).
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
    return buckets.byValue() && InRangeJoin.hashed(source, target, rowHashes);
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

  /** Joins each range where it is read ({@link InRangeJoin}); its results become outputs. */
  private static final class JoinFn extends DoFn<RangeSelection, KeyOutcome> {
    private final ReconcileSide source;
    private final ReconcileSide target;
    private final RowCanonicalizer canonicalizer;
    private final PushdownPlan rowHashes;
    private final Bucketing buckets;
    private final Counter sourceRows = Metrics.counter(ReconcileFacts.NAMESPACE,
        "sourceRowsRead");
    private final Counter targetRows = Metrics.counter(ReconcileFacts.NAMESPACE,
        "targetRowsRead");
    private final Counter unmatched = Metrics.counter(ReconcileFacts.NAMESPACE,
        "rowsWithoutPartnerInRange");
    private transient SideConnections sourceConnections;
    private transient SideConnections targetConnections;
    private transient InRangeJoin join;
    private transient BundleTotals totals;

    JoinFn(ReconcileSide source, ReconcileSide target, RowCanonicalizer canonicalizer,
        PushdownPlan rowHashes, Bucketing buckets) {
      this.source = source;
      this.target = target;
      this.canonicalizer = canonicalizer;
      this.rowHashes = rowHashes;
      this.buckets = buckets;
    }

    @Setup
    public void setup() {
      sourceConnections = new SideConnections(source.endpoint());
      targetConnections = new SideConnections(target.endpoint());
      join = new InRangeJoin(source, target, canonicalizer, rowHashes, buckets,
          sourceConnections, targetConnections);
    }

    @StartBundle
    public void startBundle() {
      totals = new BundleTotals();
    }

    @ProcessElement
    public void process(@Element RangeSelection range, MultiOutputReceiver out)
        throws Exception {
      join.join(range, new InRangeJoin.Output() {
        @Override
        public void difference(KeyOutcome outcome) {
          out.get(DIFFERENCES).output(outcome);
        }

        @Override
        public void sourceOnly(KV<String, RowDigest> row) {
          unmatched.inc();
          out.get(SOURCE_UNMATCHED).output(row);
        }

        @Override
        public void targetOnly(KV<String, RowDigest> row) {
          unmatched.inc();
          out.get(TARGET_UNMATCHED).output(row);
        }

        @Override
        public void sourceRead(Digest digest) {
          sourceRows.inc(digest.count());
          out.get(SOURCE_DIGESTS).output(digest);
        }

        @Override
        public void targetRead(Digest digest) {
          targetRows.inc(digest.count());
          out.get(TARGET_DIGESTS).output(digest);
        }
      }, totals);
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
