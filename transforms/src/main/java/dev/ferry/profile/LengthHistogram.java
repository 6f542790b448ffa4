package dev.ferry.profile;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts of value lengths for percentiles: exact below {@value #EXACT} bytes, and in buckets 1%
 * wide above, so a percentile is exact for short values and at most 1% low for long ones, in a
 * few KiB however many values there are.
 *
 * <p>Why not {@code ApproximateQuantiles}: its guarantee is on rank (with 101 quantiles, epsilon
 * 1%), so its "p99" may be any value between p98 and p100, which for skewed lengths (a few huge
 * JSON documents among small ones) is the difference the profile exists to show.
 */
final class LengthHistogram implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int EXACT = 1024;
  private static final double GROWTH = Math.log(1.01);

  private long[] counts = new long[64];
  private long total;

  void add(long length) {
    int bucket = bucket(length);
    if (bucket >= counts.length) {
      counts = Arrays.copyOf(counts, Math.max(bucket + 1, counts.length * 2));
    }
    counts[bucket]++;
    total++;
  }

  void merge(LengthHistogram other) {
    if (other.counts.length > counts.length) {
      counts = Arrays.copyOf(counts, other.counts.length);
    }
    for (int i = 0; i < other.counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
  }

  long total() {
    return total;
  }

  /**
   * The smallest length that at least {@code fraction} of the values do not exceed (nearest
   * rank); for bucketed lengths the bucket's lower bound. 0 when empty.
   */
  long percentile(double fraction) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(fraction * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return lowerBound(i);
      }
    }
    throw new IllegalStateException("histogram total " + total + " exceeds its counts");
  }

  /**
   * The counts in bins that double (0, 1, 2–3, 4–7, …), for a chart of lengths that span orders
   * of magnitude; empty bins between the shortest and the longest are kept, so the bins are
   * contiguous.
   */
  List<ColumnProfile.LengthBin> doublingBins() {
    long[] bins = new long[65];
    int first = bins.length;
    int last = -1;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        long lower = lowerBound(i);
        int bin = lower == 0 ? 0 : 64 - Long.numberOfLeadingZeros(lower);
        bins[bin] += counts[i];
        first = Math.min(first, bin);
        last = Math.max(last, bin);
      }
    }
    List<ColumnProfile.LengthBin> out = new ArrayList<>();
    for (int b = first; b <= last; b++) {
      long from = b == 0 ? 0 : 1L << (b - 1);
      long to = b == 0 ? 0 : (1L << b) - 1;
      out.add(new ColumnProfile.LengthBin(from, to, bins[b]));
    }
    return out;
  }

  static int bucket(long length) {
    if (length < EXACT) {
      return (int) length;
    }
    return EXACT + (int) Math.floor(Math.log((double) length / EXACT) / GROWTH);
  }

  static long lowerBound(int bucket) {
    if (bucket < EXACT) {
      return bucket;
    }
    return (long) Math.ceil(EXACT * Math.exp((bucket - EXACT) * GROWTH));
  }
}
