package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.Digest;
import dev.ferry.digest.DigestCombineFn;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.digest.RowDigest;
import dev.ferry.plan.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Reconciles a source with a target: reads both, keys every row by its canonical primary key,
 * joins them and classifies each key ({@link KeyClass}). Emits the keys that are not matches
 * ({@link #DIFFERENCES}) and the run's totals ({@link #FACTS}: keys per class, rows per side,
 * whole-table digests, buckets compared).
 *
 * <pre>{@code
 * PCollectionTuple result = pipeline.apply("Reconcile",
 *     Reconcile.between(source, target, canonicalizer)
 *         .overRanges(ranges)
 *         .withFastPath(Bucketing.byKeyValue(256), PushdownPlan.plan(source, target, canon)));
 * }</pre>
 *
 * <p>Without a fast path every row of both sides is compared: each key range is read on both
 * sides by one task and joined there ({@link JoinWithinRanges}, sorted by key where both sides
 * sort alike; by SQL row hashes with {@link #withSqlRowHashes}); rows without a partner in their
 * range go through the CoGroupByKey ({@link ClassifyKeys}). With a fast path
 * whose {@link PushdownPlan} is available, each database first computes the digest of every
 * bucket of every range; only rows of buckets whose digests differ are read and joined by
 * CoGroupByKey, rows in equal buckets count as matches; {@link #withComparedBuckets} takes those
 * digests as already computed and compared before the pipeline ({@link BucketComparison}), so the
 * pipeline only reads the differing buckets. A fast path that cannot run in SQL
 * compares as without one. The SQL fast path cannot see a key duplicated identically on both
 * sides (its bucket digests agree); the full comparison can.
 *
 * <p>Reads only, on both sides. The result does not depend on how the runner splits the work.
 */
public final class Reconcile extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<KeyOutcome> DIFFERENCES = ClassifyKeys.DIFFERENCES;
  public static final TupleTag<KV<String, Long>> FACTS = new TupleTag<KV<String, Long>>() {};

  // Rows per side in one in-memory join group; small enough for any worker's memory.
  private static final long ROWS_PER_JOIN_PARTITION = 5_000;
  /**
   * Rows (of both sides) in differing buckets from which spreading them over workers pays: below
   * it the shuffle costs more (about 0.7 s of CPU on the DirectRunner) than joining them where
   * they are, and a launcher may as well join them itself ({@link LocalBucketJoin}).
   */
  public static final long ROWS_WORTH_DISTRIBUTING = 200_000;

  /** How the digests of the fast path are computed, if there is one. */
  public enum Mode {
    /**
     * Read every row; join both sides of each key range in memory and send only rows without a
     * partner in their range through the CoGroupByKey.
     */
    FULL,
    /**
     * Checksums cannot be computed in SQL: digests are computed in the pipeline while each
     * range is joined in memory, as in {@link #FULL}.
     */
    FAST_PATH_PIPELINE,
    /** Digest buckets in the databases, read back and join rows of differing buckets. */
    FAST_PATH_SQL
  }

  private final ReconcileSide source;
  private final ReconcileSide target;
  private final RowCanonicalizer canonicalizer;
  private final List<KeyRange> ranges;
  private final Bucketing bucketing;
  private final PushdownPlan pushdown;
  private final BucketComparison compared;
  private final long distributeFrom;

  private Reconcile(ReconcileSide source, ReconcileSide target, RowCanonicalizer canonicalizer,
      List<KeyRange> ranges, Bucketing bucketing, PushdownPlan pushdown,
      BucketComparison compared, long distributeFrom) {
    this.distributeFrom = distributeFrom;
    this.source = source;
    this.target = target;
    this.canonicalizer = canonicalizer;
    this.ranges = ranges;
    this.bucketing = bucketing;
    this.pushdown = pushdown;
    this.compared = compared;
  }

  public static Reconcile between(ReconcileSide source, ReconcileSide target,
      RowCanonicalizer canonicalizer) {
    if (!Objects.requireNonNull(source, "source").role().equals("source")
        || !Objects.requireNonNull(target, "target").role().equals("target")) {
      throw new IllegalArgumentException("between(source, target) takes the sides in that order");
    }
    return new Reconcile(source, target, Objects.requireNonNull(canonicalizer, "canonicalizer"),
        null, null, null, null, ROWS_WORTH_DISTRIBUTING);
  }

  /**
   * The key ranges that partition the work; they must cover the key space (as planned by
   * {@link dev.ferry.plan.KeyRangePlanner}, in binary key order: {@link BinaryKeyOrder}).
   */
  public Reconcile overRanges(List<KeyRange> ranges) {
    if (ranges == null || ranges.isEmpty()) {
      throw new IllegalArgumentException("at least one key range is required");
    }
    return new Reconcile(source, target, canonicalizer, List.copyOf(ranges), bucketing, pushdown,
        compared, distributeFrom);
  }

  /**
   * Compares bucket digests first; in SQL when {@code plan} is available, else in the pipeline.
   */
  public Reconcile withFastPath(Bucketing bucketing, PushdownPlan plan) {
    return new Reconcile(source, target, canonicalizer, ranges,
        Objects.requireNonNull(bucketing, "bucketing"), Objects.requireNonNull(plan, "plan"),
        compared, distributeFrom);
  }

  /**
   * Takes the bucket checksums of the SQL fast path as already compared before the pipeline
   * ({@link BucketComparison#compute} over the same ranges, bucketing and plan): the pipeline
   * then reads and joins only the differing buckets, and its facts include the comparison's.
   */
  public Reconcile withComparedBuckets(BucketComparison comparison) {
    if (mode() != Mode.FAST_PATH_SQL) {
      throw new IllegalStateException("compared buckets need withFastPath(...) with a plan"
          + " whose SQL checksums are available");
    }
    return new Reconcile(source, target, canonicalizer, ranges, bucketing, pushdown,
        Objects.requireNonNull(comparison, "comparison"), distributeFrom);
  }

  /**
   * With {@link #withComparedBuckets}: spreads the differing buckets over the workers (a
   * shuffle) only when they hold at least {@code rows} rows of both sides (default 200,000);
   * fewer are joined where the runner put them.
   */
  public Reconcile withDistributionFrom(long rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }
    return new Reconcile(source, target, canonicalizer, ranges, bucketing, pushdown, compared,
        rows);
  }

  /**
   * In the full comparison, compares rows by 64-bit hashes computed in the databases when
   * {@code plan} has native row hashes ({@link PushdownPlan#nativeHashes}) and the key sorts alike
   * on both sides: only keys whose hashes differ (or that are duplicated or on one side only) are
   * read whole and compared value by value. Equal hashes are at least as strict as equal
   * canonical rows, so the result is the same, at a fraction of the reading and hashing.
   */
  public Reconcile withSqlRowHashes(PushdownPlan plan) {
    if (bucketing != null) {
      throw new IllegalStateException("the fast path already compares checksums in SQL");
    }
    return new Reconcile(source, target, canonicalizer, ranges, null,
        Objects.requireNonNull(plan, "plan"), null, distributeFrom);
  }

  public Mode mode() {
    if (bucketing == null) {
      return Mode.FULL;
    }
    return pushdown.available() ? Mode.FAST_PATH_SQL : Mode.FAST_PATH_PIPELINE;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    if (ranges == null) {
      throw new IllegalStateException("Reconcile needs overRanges(ranges)");
    }
    List<PCollection<KV<String, Long>>> facts = new ArrayList<>();
    PCollection<KV<String, RowDigest>> sourceRows;
    PCollection<KV<String, RowDigest>> targetRows;
    List<PCollection<KeyOutcome>> differences = new ArrayList<>();
    if (mode() == Mode.FAST_PATH_SQL) {
      PCollection<RangeSelection> selected;
      if (compared != null) {
        facts.add(begin.apply("BucketFacts", Create.of(asKvs(compared.facts()))
            .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))));
        selected = begin
            .apply("DifferingBuckets", Create.of(compared.differing())
                .withCoder(SerializableCoder.of(RangeSelection.class)));
        if (compared.rowsToJoin() >= distributeFrom) {
          selected = selected.apply("DistributeBuckets", Reshuffle.viaRandomKey());
        }
      } else {
        PCollection<KeyRange> planned = planned(begin);
        selected = compareBuckets(
            planned.apply("Source.ChecksumBuckets", SqlBucketDigests.of(source, pushdown,
                bucketing)),
            planned.apply("Target.ChecksumBuckets", SqlBucketDigests.of(target, pushdown,
                bucketing)),
            facts);
      }
      if (JoinWithinRanges.canJoinBuckets(source, target, pushdown, bucketing)) {
        // Rows of differing buckets merged by key and SQL row hash; only keys whose hashes
        // differ are read whole. Every key is classified there: no join across ranges.
        PCollectionTuple joined = selected.apply("JoinDifferingBuckets",
            JoinWithinRanges.ofBuckets(source, target, canonicalizer, pushdown, bucketing));
        differences.add(joined.get(JoinWithinRanges.DIFFERENCES));
        facts.add(joined.get(JoinWithinRanges.FACTS));
        return results(differences, facts);
      }
      sourceRows = selected.apply("Source.ReadRows", ReadDigests.of(source, canonicalizer,
          bucketing).withHashBucketSql(pushdown.bucketSql(source, bucketing)))
          .get(ReadDigests.ROWS);
      targetRows = selected.apply("Target.ReadRows", ReadDigests.of(target, canonicalizer,
          bucketing).withHashBucketSql(pushdown.bucketSql(target, bucketing)))
          .get(ReadDigests.ROWS);
    } else {
      // Digests in the pipeline: both sides of a range are read by one task and joined there.
      PCollectionTuple joined = planned(begin)
          .apply("WholeRanges", ParDo.of(new WholeFn()))
          .setCoder(SerializableCoder.of(RangeSelection.class))
          .apply("JoinWithinRanges", new JoinWithinRanges(source, target, canonicalizer,
              pushdown));
      differences.add(joined.get(JoinWithinRanges.DIFFERENCES));
      facts.add(joined.get(JoinWithinRanges.FACTS));
      facts.add(tableDigest("Source", ReconcileFacts.SOURCE_DIGEST,
          joined.get(JoinWithinRanges.SOURCE_DIGESTS)));
      facts.add(tableDigest("Target", ReconcileFacts.TARGET_DIGEST,
          joined.get(JoinWithinRanges.TARGET_DIGESTS)));
      sourceRows = joined.get(JoinWithinRanges.SOURCE_UNMATCHED);
      targetRows = joined.get(JoinWithinRanges.TARGET_UNMATCHED);
    }
    long rows = ranges.stream().mapToLong(KeyRange::estimatedRows).sum();
    PCollectionTuple classified = PCollectionTuple.of(ClassifyKeys.SOURCE, sourceRows)
        .and(ClassifyKeys.TARGET, targetRows)
        .apply("ClassifyKeys", ClassifyKeys.comparing(canonicalizer.columnNames(),
            canonicalizer.floatTolerance()).withJoinPartitions(
            ClassifyKeys.partitionsFor(rows, ROWS_PER_JOIN_PARTITION)));
    facts.add(classified.get(ClassifyKeys.FACTS));
    differences.add(classified.get(ClassifyKeys.DIFFERENCES));
    return results(differences, facts);
  }

  private static PCollectionTuple results(List<PCollection<KeyOutcome>> differences,
      List<PCollection<KV<String, Long>>> facts) {
    PCollection<KV<String, Long>> totals = PCollectionList.of(facts)
        .apply("AllFacts", Flatten.pCollections())
        .apply("SumFacts", Sum.longsPerKey());
    return PCollectionTuple.of(DIFFERENCES, PCollectionList.of(differences)
        .apply("AllDifferences", Flatten.pCollections()))
        .and(FACTS, totals);
  }

  private PCollection<KeyRange> planned(PBegin begin) {
    return begin
        .apply("Ranges", Create.of(ranges).withCoder(SerializableCoder.of(KeyRange.class)))
        .apply("DistributeRanges", Reshuffle.viaRandomKey());
  }

  private static List<KV<String, Long>> asKvs(Map<String, Long> facts) {
    List<KV<String, Long>> out = new ArrayList<>();
    facts.forEach((name, n) -> out.add(KV.of(name, n)));
    return out;
  }

  private PCollection<RangeSelection> compareBuckets(
      PCollection<KV<Integer, Map<Long, Digest>>> sourceBuckets,
      PCollection<KV<Integer, Map<Long, Digest>>> targetBuckets,
      List<PCollection<KV<String, Long>>> facts) {
    facts.add(tableDigest("Source", ReconcileFacts.SOURCE_DIGEST, sourceBuckets
        .apply("Source.BucketDigests", ParDo.of(new BucketDigestsFn()))
        .setCoder(Digest.Coder.of())));
    facts.add(tableDigest("Target", ReconcileFacts.TARGET_DIGEST, targetBuckets
        .apply("Target.BucketDigests", ParDo.of(new BucketDigestsFn()))
        .setCoder(Digest.Coder.of())));
    PCollectionTuple compared = KeyedPCollectionTuple.of(CompareBuckets.SOURCE, sourceBuckets)
        .and(CompareBuckets.TARGET, targetBuckets)
        .apply("CompareBuckets", new CompareBuckets(ranges));
    facts.add(compared.get(CompareBuckets.FACTS));
    return compared.get(CompareBuckets.DIFFERING);
  }

  /** The whole side's digest: the digests of all its parts, combined. */
  private static PCollection<KV<String, Long>> tableDigest(String side, String prefix,
      PCollection<Digest> parts) {
    return parts
        .apply(side + ".TableChecksum", Combine.globally(new DigestCombineFn()))
        .apply(side + ".ChecksumFacts", ParDo.of(new DigestFactsFn(prefix)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("source", source.toString()))
        .add(DisplayData.item("target", target.toString()))
        .add(DisplayData.item("mode", mode().name()))
        .add(DisplayData.item("ranges", ranges == null ? 0 : ranges.size()));
  }

  private static final class WholeFn extends DoFn<KeyRange, RangeSelection> {
    @ProcessElement
    public void process(@Element KeyRange range, OutputReceiver<RangeSelection> out) {
      out.output(RangeSelection.whole(range));
    }
  }

  private static final class DigestFactsFn extends DoFn<Digest, KV<String, Long>> {
    private final String prefix;

    DigestFactsFn(String prefix) {
      this.prefix = prefix;
    }

    @ProcessElement
    public void process(@Element Digest d, OutputReceiver<KV<String, Long>> out) {
      out.output(KV.of(prefix + ".count", d.count()));
      out.output(KV.of(prefix + ".lane1", d.lane1()));
      out.output(KV.of(prefix + ".lane2", d.lane2()));
    }
  }

  private static final class BucketDigestsFn extends DoFn<KV<Integer, Map<Long, Digest>>, Digest> {
    @ProcessElement
    public void process(@Element KV<Integer, Map<Long, Digest>> range,
        OutputReceiver<Digest> out) {
      range.getValue().values().forEach(out::output);
    }
  }
}
