package dev.ferry.read;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * A rate limit shared by all readers of one job in one JVM: a token bucket refilled at the
 * configured rows per second with at most one second of burst. Runners run many DoFn instances
 * per worker, so a per-instance limit would multiply the rate by the parallelism.
 */
public final class Throttle {
  private static final ConcurrentMap<String, Throttle> SHARED = new ConcurrentHashMap<>();

  private final double rowsPerSecond;
  private double available;
  private long lastRefillNanos;

  private Throttle(double rowsPerSecond) {
    this.rowsPerSecond = rowsPerSecond;
    this.available = 0;
    this.lastRefillNanos = System.nanoTime();
  }

  /** The throttle for a job name; all readers of that job in this JVM share it. */
  public static Throttle shared(String name, double rowsPerSecond) {
    return SHARED.compute(
        name,
        (k, existing) ->
            existing != null && existing.rowsPerSecond == rowsPerSecond
                ? existing
                : new Throttle(rowsPerSecond));
  }

  /** Blocks until {@code rows} more rows may be read. */
  public void acquire(long rows) throws InterruptedException {
    long waitNanos;
    synchronized (this) {
      refill();
      available -= rows;
      waitNanos = available >= 0 ? 0 : (long) (-available / rowsPerSecond * 1e9);
    }
    if (waitNanos > 0) {
      TimeUnit.NANOSECONDS.sleep(waitNanos);
    }
  }

  /** How long {@link #acquire} would wait for {@code rows} rows now (without taking them). */
  public long waitNanos(long rows) {
    synchronized (this) {
      refill();
      double after = available - rows;
      return after >= 0 ? 0 : (long) (-after / rowsPerSecond * 1e9);
    }
  }

  private void refill() {
    long now = System.nanoTime();
    available = Math.min(rowsPerSecond, available + (now - lastRefillNanos) / 1e9 * rowsPerSecond);
    lastRefillNanos = now;
  }
}
