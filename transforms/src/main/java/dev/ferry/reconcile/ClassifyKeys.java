package dev.ferry.reconcile;

import dev.ferry.digest.RowDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Joins both sides' row digests by canonical key and classifies every key: duplicate when either
 * side has more than one row, missing or extra when one side has none, otherwise match or
 * mismatched with the differing columns. Emits the non-matching keys to {@link #DIFFERENCES} and
 * per-class key counts and joined row counts to {@link #FACTS}.
 *
 * <pre>{@code
 * PCollectionTuple out = PCollectionTuple.of(ClassifyKeys.SOURCE, sourceDigests)
 *     .and(ClassifyKeys.TARGET, targetDigests)
 *     .apply(ClassifyKeys.comparing(columnNames, 0.0).withJoinPartitions(256));
 * }</pre>
 *
 * <p>The CoGroupByKey groups by a hash partition of the key rather than by the key itself, and
 * each partition is joined in memory: the same result as grouping by key, but with a few
 * hundred groups of thousands of rows instead of a million groups of one or two, which some
 * runners (the DirectRunner above all) handle far better. Choose partitions so that one holds
 * at most some ten thousand rows per side.
 */
public final class ClassifyKeys extends PTransform<PCollectionTuple, PCollectionTuple> {
  public static final TupleTag<KV<String, RowDigest>> SOURCE =
      new TupleTag<KV<String, RowDigest>>("source") {};
  public static final TupleTag<KV<String, RowDigest>> TARGET =
      new TupleTag<KV<String, RowDigest>>("target") {};
  public static final TupleTag<KeyOutcome> DIFFERENCES = new TupleTag<KeyOutcome>() {};
  public static final TupleTag<KV<String, Long>> FACTS = new TupleTag<KV<String, Long>>() {};

  private static final TupleTag<KV<String, RowDigest>> SOURCE_PART =
      new TupleTag<KV<String, RowDigest>>("sourcePartition") {};
  private static final TupleTag<KV<String, RowDigest>> TARGET_PART =
      new TupleTag<KV<String, RowDigest>>("targetPartition") {};

  private final List<String> columns;
  private final double tolerance;
  private final int partitions;

  private ClassifyKeys(List<String> columns, double tolerance, int partitions) {
    this.columns = columns;
    this.tolerance = tolerance;
    this.partitions = partitions;
  }

  /**
   * @param columns names of the compared columns, in digest order
   * @param floatTolerance absolute tolerance for float columns digested with values
   */
  public static ClassifyKeys comparing(List<String> columns, double floatTolerance) {
    if (Objects.requireNonNull(columns, "columns").isEmpty()) {
      throw new IllegalArgumentException("at least one column must be compared");
    }
    if (!(floatTolerance >= 0)) {
      throw new IllegalArgumentException("float tolerance must be >= 0, got " + floatTolerance);
    }
    return new ClassifyKeys(List.copyOf(columns), floatTolerance, 64);
  }

  /** How many groups the join shuffles into (default 64). */
  public ClassifyKeys withJoinPartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("join partitions must be at least 1, got "
          + partitions);
    }
    return new ClassifyKeys(columns, tolerance, partitions);
  }

  /** A join partition for a key count: about {@code rowsPerPartition} rows per side each. */
  public static int partitionsFor(long rows, long rowsPerPartition) {
    return (int) Math.max(1, Math.min(4096, (rows + rowsPerPartition - 1) / rowsPerPartition));
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple sides) {
    PCollectionTuple out = KeyedPCollectionTuple
        .of(SOURCE_PART, partitioned("Source", sides.get(SOURCE)))
        .and(TARGET_PART, partitioned("Target", sides.get(TARGET)))
        .apply("JoinByKey", CoGroupByKey.create())
        .apply("Classify", ParDo.of(new ClassifyFn(columns, tolerance))
            .withOutputTags(DIFFERENCES, TupleTagList.of(FACTS)));
    out.get(DIFFERENCES).setCoder(KeyOutcome.Coder.of());
    out.get(FACTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return out;
  }

  private PCollection<KV<Integer, KV<String, RowDigest>>> partitioned(String side,
      PCollection<KV<String, RowDigest>> rows) {
    return rows.apply(side + ".PartitionByKey", ParDo.of(new PartitionFn(partitions)))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(),
            RowDigest.Coder.of())));
  }

  /** The verdict on one key's rows; null for a match. */
  static KeyOutcome classify(String key, List<RowDigest> source, List<RowDigest> target,
      List<String> columns, double tolerance) {
    int s = source.size();
    int t = target.size();
    if (s > 1 || t > 1) {
      return new KeyOutcome(key, KeyClass.DUPLICATE, s, t, List.of(), rejected(source));
    }
    if (t == 0) {
      return new KeyOutcome(key, KeyClass.MISSING, s, t, List.of(), rejected(source));
    }
    if (s == 0) {
      return new KeyOutcome(key, KeyClass.EXTRA, s, t, List.of(), null);
    }
    RowDigest a = source.get(0);
    RowDigest b = target.get(0);
    if (a.rejectedColumn() != null) {
      String column = a.rejectedColumn().isEmpty() ? "(custom transform)" : a.rejectedColumn();
      return new KeyOutcome(key, KeyClass.MISMATCHED, 1, 1, List.of(column), a.rejectedColumn());
    }
    int[] differing = a.differingColumns(b, tolerance);
    if (differing.length == 0) {
      return null;
    }
    List<String> names = new ArrayList<>(differing.length);
    for (int i : differing) {
      names.add(columns.get(i));
    }
    return new KeyOutcome(key, KeyClass.MISMATCHED, 1, 1, names, null);
  }

  /** {@link #classify}, counting the key and its rows into {@code totals}. */
  static KeyOutcome account(String key, List<RowDigest> source, List<RowDigest> target,
      List<String> columns, double tolerance, BundleTotals totals) {
    totals.add(ReconcileFacts.SOURCE_ROWS_JOINED, source.size());
    totals.add(ReconcileFacts.TARGET_ROWS_JOINED, target.size());
    for (RowDigest d : source) {
      if (d.rejectedColumn() != null) {
        totals.add(ReconcileFacts.SOURCE_ROWS_REJECTED, 1);
      }
    }
    KeyOutcome outcome = classify(key, source, target, columns, tolerance);
    totals.add(ReconcileFacts.keys(outcome == null ? KeyClass.MATCH : outcome.kind()), 1);
    return outcome;
  }

  /**
   * Classifies every key of both sides' rows, grouped by key ({@link #byKey}) and holding all
   * rows of each key: {@link #account}s each key into {@code totals} and hands the keys that are
   * not matches to {@code differences}.
   */
  static void classifyAll(Map<String, List<RowDigest>> source,
      Map<String, List<RowDigest>> target, List<String> columns, double tolerance,
      BundleTotals totals, Consumer<KeyOutcome> differences) {
    for (Map.Entry<String, List<RowDigest>> e : source.entrySet()) {
      report(account(e.getKey(), e.getValue(), target.getOrDefault(e.getKey(), List.of()),
          columns, tolerance, totals), differences);
    }
    for (Map.Entry<String, List<RowDigest>> e : target.entrySet()) {
      if (!source.containsKey(e.getKey())) {
        report(account(e.getKey(), List.of(), e.getValue(), columns, tolerance, totals),
            differences);
      }
    }
  }

  private static void report(KeyOutcome outcome, Consumer<KeyOutcome> differences) {
    if (outcome != null) {
      differences.accept(outcome);
    }
  }

  /** Rows grouped by their canonical key. */
  static Map<String, List<RowDigest>> byKey(Iterable<KV<String, RowDigest>> rows) {
    Map<String, List<RowDigest>> byKey = new HashMap<>();
    for (KV<String, RowDigest> row : rows) {
      byKey.computeIfAbsent(row.getKey(), k -> new ArrayList<>(1)).add(row.getValue());
    }
    return byKey;
  }

  private static String rejected(List<RowDigest> source) {
    for (RowDigest d : source) {
      if (d.rejectedColumn() != null) {
        return d.rejectedColumn();
      }
    }
    return null;
  }

  private static final class PartitionFn
      extends DoFn<KV<String, RowDigest>, KV<Integer, KV<String, RowDigest>>> {
    private final int partitions;

    PartitionFn(int partitions) {
      this.partitions = partitions;
    }

    @ProcessElement
    public void process(@Element KV<String, RowDigest> row,
        OutputReceiver<KV<Integer, KV<String, RowDigest>>> out) {
      // String.hashCode is specified by the language, so every worker agrees; spread it first.
      int h = row.getKey().hashCode() * 0x9E3779B1;
      out.output(KV.of(Math.floorMod(h ^ (h >>> 16), partitions), row));
    }
  }

  private static final class ClassifyFn extends DoFn<KV<Integer, CoGbkResult>, KeyOutcome> {
    private final List<String> columns;
    private final double tolerance;
    private transient BundleTotals totals;

    ClassifyFn(List<String> columns, double tolerance) {
      this.columns = columns;
      this.tolerance = tolerance;
    }

    @StartBundle
    public void startBundle() {
      totals = new BundleTotals();
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> partition, MultiOutputReceiver out) {
      classifyAll(byKey(partition.getValue().getAll(SOURCE_PART)),
          byKey(partition.getValue().getAll(TARGET_PART)), columns, tolerance, totals,
          out.get(DIFFERENCES)::output);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      totals.flush(context, FACTS);
    }
  }
}
