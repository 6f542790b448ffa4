package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.Digest;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.digest.RowDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.values.KV;

/**
 * Joins the differing buckets of a {@link BucketComparison} in the calling process, over JDBC,
 * instead of in a pipeline: for the few rows a mostly equal table leaves to join, building and
 * starting a pipeline costs far more than the join (on the DirectRunner about 3 s of CPU, against
 * some tenths of a second to join 50,000 rows here). The keys are classified by the code the
 * pipeline runs for the same buckets, so the result is the same as
 * {@code Reconcile...withComparedBuckets(compared)}'s: with native row hashes and value buckets,
 * each selection is merged by key and row hash where it is read ({@link InRangeJoin}, as
 * {@link JoinWithinRanges#ofBuckets}); otherwise both sides' rows of the selected buckets are
 * read ({@link RangeReader}, as {@link ReadDigests}) and joined by key across all of them
 * ({@link ClassifyKeys#classifyAll}, as the CoGroupByKey of {@link ClassifyKeys}).
 *
 * <p>Everything it reads is held in memory in the second form: use it for a bounded number of
 * rows ({@link BucketComparison#rowsToJoin}), such as fewer than
 * {@link Reconcile#ROWS_WORTH_DISTRIBUTING}. Reads only.
 */
public final class LocalBucketJoin {
  private static final int FETCH_SIZE = 2000;

  private LocalBucketJoin() {}

  /** What the join found: the keys that are not matches, and the totals of the comparison. */
  public static final class Result {
    private final List<KeyOutcome> differences;
    private final Map<String, Long> facts;

    private Result(List<KeyOutcome> differences, Map<String, Long> facts) {
      this.differences = List.copyOf(differences);
      this.facts = Map.copyOf(facts);
    }

    /** The differing keys, in no particular order. */
    public List<KeyOutcome> differences() {
      return differences;
    }

    /**
     * The comparison's totals ({@link ReconcileFacts}), as the pipeline's {@link Reconcile#FACTS}
     * would sum them: those of {@code compared} and those of the join.
     */
    public Map<String, Long> facts() {
      return facts;
    }
  }

  /**
   * Reads and joins the differing buckets of {@code compared}, which was computed for these
   * sides with {@code plan} and {@code bucketing} ({@link BucketComparison#compute}), over the
   * caller's connections to each side.
   */
  public static Result join(ReconcileSide source, ReconcileSide target,
      RowCanonicalizer canonicalizer, PushdownPlan plan, Bucketing bucketing,
      BucketComparison compared, SideConnections sourceConnections,
      SideConnections targetConnections) throws Exception {
    Objects.requireNonNull(compared, "compared");
    if (!Objects.requireNonNull(plan, "plan").available()) {
      throw new IllegalArgumentException("compared buckets need SQL checksums: "
          + plan.problem());
    }
    List<KeyOutcome> differences = new ArrayList<>();
    BundleTotals totals = new BundleTotals();
    if (JoinWithinRanges.canJoinBuckets(source, target, plan, bucketing)) {
      InRangeJoin join = new InRangeJoin(source, target, canonicalizer, plan, bucketing,
          sourceConnections, targetConnections);
      InRangeJoin.Output out = new ClassifiedInPlace(differences);
      for (RangeSelection selection : compared.differing()) {
        join.join(selection, out, totals);
      }
    } else {
      ClassifyKeys.classifyAll(
          rows(source, canonicalizer, plan, bucketing, compared, sourceConnections),
          rows(target, canonicalizer, plan, bucketing, compared, targetConnections),
          canonicalizer.columnNames(), canonicalizer.floatTolerance(), totals, differences::add);
    }
    Map<String, Long> facts = new HashMap<>(compared.facts());
    totals.asMap().forEach((name, n) -> facts.merge(name, n, Long::sum));
    return new Result(differences, facts);
  }

  /** One side's rows of every selected bucket, grouped by canonical key. */
  private static Map<String, List<RowDigest>> rows(ReconcileSide side,
      RowCanonicalizer canonicalizer, PushdownPlan plan, Bucketing bucketing,
      BucketComparison compared, SideConnections connections) throws Exception {
    List<KV<String, RowDigest>> rows = new ArrayList<>();
    RangeReader reader = new RangeReader(side, canonicalizer, bucketing,
        plan.bucketSql(side, bucketing), FETCH_SIZE, connections);
    for (RangeSelection selection : compared.differing()) {
      reader.read(selection, rows::add);
    }
    return ClassifyKeys.byKey(rows);
  }

  /**
   * Keeps the differences of a bucket join, which classifies every key in place: a key's rows
   * lie in the same value bucket on both sides, so no row is left for a join across ranges.
   */
  private static final class ClassifiedInPlace implements InRangeJoin.Output {
    private final List<KeyOutcome> differences;

    ClassifiedInPlace(List<KeyOutcome> differences) {
      this.differences = differences;
    }

    @Override
    public void difference(KeyOutcome outcome) {
      differences.add(outcome);
    }

    @Override
    public void sourceOnly(KV<String, RowDigest> row) {
      throw new IllegalStateException("a bucket join left source key " + row.getKey()
          + " unclassified");
    }

    @Override
    public void targetOnly(KV<String, RowDigest> row) {
      throw new IllegalStateException("a bucket join left target key " + row.getKey()
          + " unclassified");
    }

    @Override
    public void sourceRead(Digest digest) {}

    @Override
    public void targetRead(Digest digest) {}
  }
}
