package dev.ferry.reconcile;

import dev.ferry.digest.Digest;
import dev.ferry.plan.KeyRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Compares both sides' bucket digests range by range and emits, for each range with differing
 * buckets (a count or a checksum differs, or the bucket exists on one side only), the selection
 * of those buckets to read and join. Rows in equal buckets count as matched
 * ({@link ReconcileFacts#ROWS_IN_EQUAL_BUCKETS}) without ever being joined.
 */
final class CompareBuckets extends PTransform<KeyedPCollectionTuple<Integer>, PCollectionTuple> {
  static final TupleTag<Map<Long, Digest>> SOURCE = new TupleTag<Map<Long, Digest>>("source") {};
  static final TupleTag<Map<Long, Digest>> TARGET = new TupleTag<Map<Long, Digest>>("target") {};
  static final TupleTag<RangeSelection> DIFFERING = new TupleTag<RangeSelection>() {};
  static final TupleTag<KV<String, Long>> FACTS = new TupleTag<KV<String, Long>>() {};

  private final List<KeyRange> ranges;

  CompareBuckets(List<KeyRange> ranges) {
    this.ranges = ranges;
  }

  @Override
  public PCollectionTuple expand(KeyedPCollectionTuple<Integer> digests) {
    PCollectionTuple out = digests
        .apply("JoinRanges", CoGroupByKey.create())
        .apply("FindDifferingBuckets", ParDo.of(new CompareFn(ranges))
            .withOutputTags(DIFFERING, TupleTagList.of(FACTS)));
    out.get(DIFFERING).setCoder(SerializableCoder.of(RangeSelection.class));
    out.get(FACTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return out;
  }

  /**
   * Compares the bucket digests of one range: the selection of its differing buckets, or null
   * when all are equal. Counts buckets compared, buckets differing, rows in equal buckets and
   * rows (of both sides) in differing buckets into {@code totals}.
   */
  static RangeSelection differing(KeyRange range, Map<Long, Digest> source,
      Map<Long, Digest> target, BiConsumer<String, Long> totals) {
    TreeSet<Long> buckets = new TreeSet<>(source.keySet());
    buckets.addAll(target.keySet());
    List<Long> differing = new ArrayList<>();
    long equalRows = 0;
    long differingRows = 0;
    for (Long b : buckets) {
      Digest s = source.getOrDefault(b, Digest.empty());
      Digest t = target.getOrDefault(b, Digest.empty());
      if (s.equals(t)) {
        equalRows += s.count();
      } else {
        differing.add(b);
        differingRows += s.count() + t.count();
      }
    }
    totals.accept(ReconcileFacts.BUCKETS, (long) buckets.size());
    totals.accept(ReconcileFacts.BUCKETS_DIFFERING, (long) differing.size());
    totals.accept(ReconcileFacts.ROWS_IN_EQUAL_BUCKETS, equalRows);
    totals.accept(ReconcileFacts.ROWS_IN_DIFFERING_BUCKETS, differingRows);
    return differing.isEmpty() ? null
        : RangeSelection.buckets(range, differing.stream().mapToLong(Long::longValue).toArray());
  }

  private static final class CompareFn extends DoFn<KV<Integer, CoGbkResult>, RangeSelection> {
    private final Map<Integer, KeyRange> byIndex = new HashMap<>();
    private transient BundleTotals totals;

    CompareFn(List<KeyRange> ranges) {
      for (KeyRange r : ranges) {
        byIndex.put(r.index(), r);
      }
    }

    @StartBundle
    public void startBundle() {
      totals = new BundleTotals();
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> range, MultiOutputReceiver out) {
      RangeSelection differing = differing(byIndex.get(range.getKey()),
          merged(range.getValue().getAll(SOURCE)), merged(range.getValue().getAll(TARGET)),
          totals::add);
      if (differing != null) {
        out.get(DIFFERING).output(differing);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      totals.flush(context, FACTS);
    }

    // One map per side and range; merged all the same should a runner split it.
    private static Map<Long, Digest> merged(Iterable<Map<Long, Digest>> maps) {
      Map<Long, Digest> merged = new HashMap<>();
      for (Map<Long, Digest> m : maps) {
        m.forEach((b, d) -> merged.merge(b, d, Digest::plus));
      }
      return merged;
    }
  }
}
