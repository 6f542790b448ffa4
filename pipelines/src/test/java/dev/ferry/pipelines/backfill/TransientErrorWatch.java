package dev.ferry.pipelines.backfill;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Counts the warnings the reader and writer log when they retry a transient error, so an
 * outage test can end the outage once the run has met it instead of after a fixed sleep.
 */
final class TransientErrorWatch extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Semaphore seen = new Semaphore(0);

  TransientErrorWatch() {
    setName("transient-error-watch");
    start();
    root.addAppender(this);
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel() == Level.WARN
        && event.getFormattedMessage().contains("transient error")) {
      seen.release();
    }
  }

  void awaitAtLeast(int retries, Duration timeout) throws InterruptedException {
    if (!seen.tryAcquire(retries, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the run did not retry the outage " + retries + " times within "
          + timeout.toSeconds() + " s");
    }
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
