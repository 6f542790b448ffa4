package dev.ferry.pipelines.dryrun;

import dev.ferry.plan.KeyRange;
import java.util.ArrayList;
import java.util.List;

/**
 * Which ranges a dry run copies. The table is planned into {@code partitions × every} ranges,
 * where {@code every} is 100 / sample percent, and every {@code every}-th range is copied
 * (starting in the middle of the first group, so neither open-ended edge range is favoured).
 * The sample therefore has as many ranges as the full job, spread evenly over the key space,
 * each about {@code every} times shorter: the same parallelism and the same per-range costs,
 * with fewer rows. Deterministic: the same table and settings sample the same ranges.
 *
 * <p>The range before each sampled one forms a warm-up sample of the same shape: run first, it
 * lets the JVM compile the row-by-row code, so the timed sample runs at the speed the bulk of a
 * long backfill runs at rather than at the interpreter's (about half, measured here).
 */
final class SampledRanges {
  final int every;
  final List<KeyRange> planned;
  final List<KeyRange> sampled;
  final List<KeyRange> warmup;
  /** Ranges that select no rows, one per sampled range, to measure the fixed cost of a run. */
  final List<KeyRange> empty;

  private SampledRanges(int every, List<KeyRange> planned, List<KeyRange> sampled,
      List<KeyRange> warmup, List<KeyRange> empty) {
    this.every = every;
    this.planned = planned;
    this.sampled = sampled;
    this.warmup = warmup;
    this.empty = empty;
  }

  /** How many times more ranges to plan than the job has, for a sample of {@code percent}. */
  static int every(double percent) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException("samplePercent must be above 0 and at most 100, got "
          + percent);
    }
    return (int) Math.max(1, Math.round(100 / percent));
  }

  static SampledRanges choose(List<KeyRange> planned, int every) {
    List<KeyRange> keyed = new ArrayList<>();
    for (KeyRange r : planned) {
      if (!r.nullKeys()) {
        keyed.add(r);
      }
    }
    List<KeyRange> sampled = new ArrayList<>();
    List<KeyRange> warmup = new ArrayList<>();
    List<KeyRange> empty = new ArrayList<>();
    int offset = Math.min(every / 2, keyed.size() - 1);
    for (int i = Math.max(0, offset); i < keyed.size(); i += every) {
      KeyRange r = keyed.get(i);
      sampled.add(r);
      if (every > 1 && i > 0) {
        warmup.add(keyed.get(i - 1));
      }
      Object[] bound = r.lower() != null ? r.lower() : r.upper();
      if (bound != null) {
        // [k, k) selects nothing but costs a connection, a query and a checkpoint like any range
        empty.add(KeyRange.between(r.index(), bound, bound, 0));
      }
    }
    return new SampledRanges(every, List.copyOf(planned), sampled, warmup, empty);
  }

  /** Rows the planner counted in the whole table, NULL keys included. */
  long plannedRows() {
    return planned.stream().mapToLong(KeyRange::estimatedRows).sum();
  }
}
