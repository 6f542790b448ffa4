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
    return choose(planned, every, 1);
  }

  /**
   * Like {@link #choose(List, int)}, with each sampled range made of {@code width} consecutive
   * planned ranges (1 to {@code every}) and its warm-up of up to a quarter as many.
   */
  static SampledRanges choose(List<KeyRange> planned, int every, int width) {
    List<KeyRange> keyed = new ArrayList<>();
    for (KeyRange r : planned) {
      if (!r.nullKeys()) {
        keyed.add(r);
      }
    }
    int k = Math.max(1, Math.min(width, every));
    int w = Math.min(every - k, Math.max(1, k / 4));
    List<KeyRange> sampled = new ArrayList<>();
    List<KeyRange> warmup = new ArrayList<>();
    List<KeyRange> empty = new ArrayList<>();
    int offset = Math.min(Math.max(every / 2, w), keyed.size() - 1);
    for (int i = Math.max(0, offset); i < keyed.size(); i += every) {
      KeyRange r = merged(keyed, i, Math.min(keyed.size(), i + k));
      sampled.add(r);
      if (w > 0 && i > 0) {
        warmup.add(merged(keyed, Math.max(0, i - w), i));
      }
      Object[] bound = r.lower() != null ? r.lower() : r.upper();
      if (bound != null) {
        // [k, k) selects nothing but costs a connection, a query and a checkpoint like any range
        empty.add(KeyRange.between(r.index(), bound, bound, 0));
      }
    }
    return new SampledRanges(every, List.copyOf(planned), sampled, warmup, empty);
  }

  /**
   * How many consecutive planned ranges each sampled range takes so that it holds about one
   * full chunk ({@code batchSize} rows), or as many rows as a range of the full job when that
   * is fewer. A run's time goes partly per row and partly per chunk (a write transaction and a
   * checkpoint); a sample whose ranges hold a few rows each has a chunk every few rows and
   * overstates the time per row (3.5× on a 50,000-row table: 68 s estimated, 19.5 s taken).
   */
  static int width(List<KeyRange> planned, int every, int partitions, int batchSize) {
    long rows = planned.stream().mapToLong(KeyRange::estimatedRows).sum();
    if (planned.isEmpty() || rows == 0) {
      return 1;
    }
    double perPlannedRange = (double) rows / planned.size();
    double needed = Math.min(batchSize, (double) rows / partitions);
    return (int) Math.max(1, Math.min(every, Math.ceil(needed / perPlannedRange)));
  }

  /** Planned ranges {@code from} (inclusive) to {@code to} (exclusive) as one range. */
  private static KeyRange merged(List<KeyRange> keyed, int from, int to) {
    if (to - from == 1) {
      return keyed.get(from);
    }
    long rows = 0;
    for (KeyRange r : keyed.subList(from, to)) {
      rows += r.estimatedRows();
    }
    return KeyRange.between(keyed.get(from).index(), keyed.get(from).lower(),
        keyed.get(to - 1).upper(), rows);
  }

  /** Rows the planner counted in the whole table, NULL keys included. */
  long plannedRows() {
    return planned.stream().mapToLong(KeyRange::estimatedRows).sum();
  }
}
