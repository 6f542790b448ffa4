package dev.ferry.reconcile;

import dev.ferry.plan.KeyRange;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/** A key range to read, whole or only some of its buckets (those whose digests differ). */
public final class RangeSelection implements Serializable {
  private static final long serialVersionUID = 1L;

  private final KeyRange range;
  private final long[] buckets;

  private RangeSelection(KeyRange range, long[] buckets) {
    this.range = Objects.requireNonNull(range, "range");
    this.buckets = buckets;
  }

  public static RangeSelection whole(KeyRange range) {
    return new RangeSelection(range, null);
  }

  public static RangeSelection buckets(KeyRange range, long[] buckets) {
    long[] sorted = buckets.clone();
    Arrays.sort(sorted);
    return new RangeSelection(range, sorted);
  }

  public KeyRange range() {
    return range;
  }

  /** The selected buckets in ascending order, or null for the whole range. */
  public long[] buckets() {
    return buckets == null ? null : buckets.clone();
  }

  public boolean whole() {
    return buckets == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RangeSelection && range.equals(((RangeSelection) o).range)
        && Arrays.equals(buckets, ((RangeSelection) o).buckets);
  }

  @Override
  public int hashCode() {
    return Objects.hash(range, Arrays.hashCode(buckets));
  }

  @Override
  public String toString() {
    return range + (buckets == null ? "" : " buckets " + Arrays.toString(buckets));
  }
}
