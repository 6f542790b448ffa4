package dev.ferry.pipelines.backfill;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Totals of a finished pipeline's counters, as its jobs' summaries report them. */
public final class Counters {
  private Counters() {}

  /** The attempted total of counter {@code name} of {@code namespace} over all steps. */
  public static long total(PipelineResult result, Class<?> namespace, String name) {
    long total = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(namespace, name)).build()).getCounters()) {
      Long v = c.getAttempted();
      total += v == null ? 0 : v;
    }
    return total;
  }
}
