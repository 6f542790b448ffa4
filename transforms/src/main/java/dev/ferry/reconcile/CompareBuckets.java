package dev.ferry.reconcile;

import dev.ferry.digest.Digest;
import dev.ferry.plan.KeyRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
      Map<Long, Digest> source = merged(range.getValue().getAll(SOURCE));
      Map<Long, Digest> target = merged(range.getValue().getAll(TARGET));
      TreeSet<Long> buckets = new TreeSet<>(source.keySet());
      buckets.addAll(target.keySet());
      List<Long> differing = new ArrayList<>();
      for (Long b : buckets) {
        Digest s = source.getOrDefault(b, Digest.empty());
        Digest t = target.getOrDefault(b, Digest.empty());
        totals.add(ReconcileFacts.BUCKETS, 1);
        if (s.equals(t)) {
          totals.add(ReconcileFacts.ROWS_IN_EQUAL_BUCKETS, s.count());
        } else {
          totals.add(ReconcileFacts.BUCKETS_DIFFERING, 1);
          differing.add(b);
        }
      }
      if (!differing.isEmpty()) {
        out.get(DIFFERING).output(RangeSelection.buckets(byIndex.get(range.getKey()),
            differing.stream().mapToLong(Long::longValue).toArray()));
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
