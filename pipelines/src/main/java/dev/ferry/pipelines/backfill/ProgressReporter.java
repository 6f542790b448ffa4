package dev.ferry.pipelines.backfill;

import dev.ferry.progress.JobState;
import dev.ferry.progress.ProgressStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints a progress line at a fixed interval from the committed checkpoints in the target. It
 * reads the state tables rather than runner metrics, so it reports the same numbers on every
 * runner and only counts rows that are really committed.
 */
final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final ScheduledExecutorService timer;
  private final JobState store;
  private final String job;
  private final String fingerprint;
  private final long startNanos = System.nanoTime();
  private long readAtStart = -1;

  ProgressReporter(JobState store, String job, String fingerprint, int intervalSeconds) {
    this.store = store;
    this.job = job;
    this.fingerprint = fingerprint;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ferry-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::report, 0, intervalSeconds, TimeUnit.SECONDS);
  }

  private void report() {
    try {
      ProgressStore.Totals t = store.totals(job, fingerprint);
      if (readAtStart < 0) {
        readAtStart = t.rowsRead;
        return;
      }
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      double rate = (t.rowsRead - readAtStart) / Math.max(seconds, 1e-3);
      LOG.info("{}: {}", job, line(t, rate));
    } catch (Exception e) {
      LOG.debug("progress query failed", e);
    }
  }

  private static final int BAR = 20;

  /**
   * One progress line: a bar and a percentage of the planned row estimate (capped below 100%
   * until every range is done: the estimate comes from statistics), ranges, rows, rate and ETA.
   */
  static String line(ProgressStore.Totals t, double rowsPerSecond) {
    double share = t.estimatedRows <= 0 ? 0 : (double) t.rowsRead / t.estimatedRows;
    if (t.ranges > 0 && t.rangesDone == t.ranges) {
      share = 1;
    } else {
      share = Math.min(share, 0.99);
    }
    int filled = (int) Math.floor(share * BAR);
    long remaining = Math.max(0, t.estimatedRows - t.rowsRead);
    String eta = rowsPerSecond > 0 ? format(Duration.ofSeconds((long) (remaining
        / rowsPerSecond))) : "unknown";
    // Ranges of equal size read in parallel all finish near the end; the running ones show
    // that the others are under way.
    String running = t.rangesStarted > 0 ? String.format(" (%,d running)", t.rangesStarted) : "";
    return String.format("[%s%s] %3.0f%% | ranges %,d/%,d%s | read %,d of ~%,d, written %,d,"
        + " dead-lettered %,d | %,.0f rows/s | ETA %s", "#".repeat(filled),
        "-".repeat(BAR - filled), share * 100, t.rangesDone, t.ranges, running, t.rowsRead,
        t.estimatedRows, t.rowsWritten, t.rowsDead, rowsPerSecond, eta);
  }

  private static String format(Duration d) {
    return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
