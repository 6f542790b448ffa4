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
      long remaining = Math.max(0, t.estimatedRows - t.rowsRead);
      String eta = rate > 0 ? format(Duration.ofSeconds((long) (remaining / rate))) : "unknown";
      LOG.info("{}: ranges {}/{} | read {} written {} dead-lettered {} | {} rows/s | ETA {}",
          job, t.rangesDone, t.ranges, t.rowsRead, t.rowsWritten, t.rowsDead,
          String.format("%,.0f", rate), eta);
    } catch (Exception e) {
      LOG.debug("progress query failed", e);
    }
  }

  private static String format(Duration d) {
    return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
