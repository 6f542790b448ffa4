package dev.ferry.retry;

import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.joda.time.Duration;

/**
 * The wait between attempts at a transient failure (a dropped connection, a restarting server),
 * shared by every reader and writer: from about 1 s, doubling, at most 30 s, with Beam's
 * jitter so that the workers one outage hits do not all come back at the same instant. One
 * instance per failing operation; how many attempts an operation gets is its own setting.
 */
public final class Backoff {
  private static final FluentBackoff POLICY = FluentBackoff.DEFAULT
      .withInitialBackoff(Duration.standardSeconds(1))
      .withExponent(2.0)
      .withMaxBackoff(Duration.standardSeconds(30));
  private static final long MAX_MILLIS = 30_000;

  private final BackOff state = POLICY.backoff();

  private Backoff() {}

  public static Backoff start() {
    return new Backoff();
  }

  /** Milliseconds to wait before the next attempt. */
  public long nextMillis() {
    long next = state.nextBackOffMillis();
    return next == BackOff.STOP ? MAX_MILLIS : next;
  }

  /** Waits the next interval and returns it, for the caller's log line. */
  public long pause() throws InterruptedException {
    long millis = nextMillis();
    Thread.sleep(millis);
    return millis;
  }
}
