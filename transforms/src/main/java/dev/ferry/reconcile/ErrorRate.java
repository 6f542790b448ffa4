package dev.ferry.reconcile;

/**
 * An error rate measured on a sample, with its Wilson score interval. The Wilson interval stays
 * inside [0, 1] and is honest for zero errors, where the textbook normal interval collapses to
 * a width of zero; with 0 errors in n samples its upper bound is about 3.84 / n at 95%. Samples
 * are drawn without replacement from a finite table, for which this interval is conservative.
 */
public final class ErrorRate {
  /** z for a two-sided 95% interval. */
  public static final double Z95 = 1.959963984540054;

  private final long errors;
  private final long sampled;
  private final double low;
  private final double high;

  private ErrorRate(long errors, long sampled, double low, double high) {
    this.errors = errors;
    this.sampled = sampled;
    this.low = low;
    this.high = high;
  }

  /** The 95% Wilson interval for {@code errors} out of {@code sampled}. */
  public static ErrorRate of(long errors, long sampled) {
    if (sampled < 0 || errors < 0 || errors > sampled) {
      throw new IllegalArgumentException("need 0 <= errors <= sampled, got " + errors + " of "
          + sampled);
    }
    if (sampled == 0) {
      return new ErrorRate(0, 0, 0, 1);
    }
    double n = sampled;
    double p = errors / n;
    double z2 = Z95 * Z95;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    // At the edges the bound is exact; arithmetic would leave it a rounding error away.
    double low = errors == 0 ? 0 : Math.max(0, centre - half);
    double high = errors == sampled ? 1 : Math.min(1, centre + half);
    return new ErrorRate(errors, sampled, low, high);
  }

  public long errors() {
    return errors;
  }

  public long sampled() {
    return sampled;
  }

  /** The observed rate, errors / sampled. */
  public double rate() {
    return sampled == 0 ? 0 : (double) errors / sampled;
  }

  public double low() {
    return low;
  }

  public double high() {
    return high;
  }

  /** True when the observed rate is above {@code tolerance}. */
  public boolean exceeds(double tolerance) {
    return rate() > tolerance;
  }

  @Override
  public String toString() {
    return String.format("%d of %d (%.4f%%, 95%% CI %.4f%%..%.4f%%)", errors, sampled,
        rate() * 100, low * 100, high * 100);
  }
}
