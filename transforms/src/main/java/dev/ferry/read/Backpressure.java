package dev.ferry.read;

import dev.ferry.record.InFlight;

/**
 * The readers' wait on runners that queue every step's output in memory (the DirectRunner):
 * whether chunks read but not yet written hold more than the budget. Chunks that no writer
 * releases are released when collected; if the budget stays exceeded for 2 s, a collection is
 * requested (at most every 2 s) so that such chunks cannot hold the readers up.
 */
final class Backpressure {
  private static volatile long overBudgetSince;
  private static volatile long lastGcRequest;

  private Backpressure() {}

  static boolean overBudget(long maxInFlightBytes) {
    if (InFlight.JVM.bytes() <= maxInFlightBytes) {
      overBudgetSince = 0;
      return false;
    }
    long now = System.nanoTime();
    if (overBudgetSince == 0) {
      overBudgetSince = now;
    } else if (now - overBudgetSince > 2_000_000_000L && now - lastGcRequest > 2_000_000_000L) {
      lastGcRequest = now;
      System.gc();
    }
    return true;
  }
}
