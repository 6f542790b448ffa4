package dev.ferry.reconcile;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Named totals summed within a bundle and emitted once when it finishes, so a million matching
 * keys produce a handful of elements, not a million (or read as a map where no pipeline runs).
 */
final class BundleTotals {
  private final Map<String, Long> totals = new HashMap<>();

  void add(String name, long n) {
    totals.merge(name, n, Long::sum);
  }

  /** The totals so far, for a join that runs outside a pipeline ({@link LocalBucketJoin}). */
  Map<String, Long> asMap() {
    return Map.copyOf(totals);
  }

  /** Emits the totals to {@code tag} in the global window and forgets them. */
  <T> void flush(DoFn<?, T>.FinishBundleContext context, TupleTag<KV<String, Long>> tag) {
    for (Map.Entry<String, Long> e : totals.entrySet()) {
      context.output(tag, KV.of(e.getKey(), e.getValue()), GlobalWindow.INSTANCE.maxTimestamp(),
          GlobalWindow.INSTANCE);
    }
    totals.clear();
  }
}
