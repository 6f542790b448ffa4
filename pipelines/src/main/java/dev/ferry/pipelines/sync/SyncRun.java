package dev.ferry.pipelines.sync;

import dev.ferry.jdbc.SqlErrors;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync: Debezium's embedded engine reads the source's change stream from the position stored
 * in the target, and each batch it hands over is applied by {@link ChangeApplier} in one target
 * transaction with the position after it. The engine's own offset commits only follow (they
 * confirm a PostgreSQL slot's position to the server, after the target has committed).
 */
final class SyncRun {
  private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

  /** How a sync ended. */
  enum Outcome {
    STOPPED,
    CAUGHT_UP,
    DDL,
    FAILED
  }

  private final SyncSetup setup;
  private final SyncStatus status;
  private final boolean untilCaughtUp;
  private final int statusIntervalSeconds;
  private final CountDownLatch done = new CountDownLatch(1);
  private final List<String> keyColumns;
  private final List<String> syncedColumns;
  private volatile Outcome outcome = Outcome.STOPPED;
  private volatile String message;
  private volatile Object head;
  /** Set by {@link #stop}: the engine's complaints about being closed mid-batch are no failure. */
  private volatile boolean stopRequested;
  private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
  private ChangeApplier applier;
  private ExecutorService executor;
  private ScheduledExecutorService reporter;
  private String startKey;

  SyncRun(SyncSetup setup, SyncStatus status, boolean untilCaughtUp, int statusIntervalSeconds) {
    this.setup = setup;
    this.status = status;
    this.untilCaughtUp = untilCaughtUp;
    this.statusIntervalSeconds = statusIntervalSeconds;
    this.keyColumns = setup.prepared.sourceKeyColumns();
    this.syncedColumns = setup.prepared.sourceLayout().names();
  }

  /** Starts streaming from the stored position; fails when there is none. */
  void start() throws SQLException {
    SyncState state = new SyncState(setup.config.target, setup.config.stateSchema);
    state.ensureTable();
    SyncState.Position position = state.load(setup.config.job);
    if (position == null) {
      throw new IllegalStateException("job " + setup.config.job + " has no sync position in"
          + " the target's state schema: run ferry sync --prepare before the backfill, then the"
          + " backfill, then ferry sync");
    }
    state.requireNoBackfillRunning(setup.config.job);
    if (untilCaughtUp) {
      head = setup.stream.head();
    }
    applier = new ChangeApplier(setup);
    startKey = setup.config.job + "/" + UUID.randomUUID();
    TargetOffsetStore.register(startKey, position);
    Properties props = setup.stream.connectorProperties();
    props.setProperty("name", "ferry-sync-" + setup.config.job);
    props.setProperty("offset.storage", TargetOffsetStore.class.getName());
    props.setProperty(TargetOffsetStore.START_KEY, startKey);
    props.setProperty("offset.flush.interval.ms", "1000");
    props.setProperty("max.batch.size", "4096");
    props.setProperty("poll.interval.ms", "50");
    props.setProperty("errors.max.retries", "0");
    engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
        .using(props)
        .notifying(this::handleBatch)
        .using((success, msg, error) -> {
          if (!success && outcome == Outcome.STOPPED && !stopRequested) {
            fail(msg + (error == null ? "" : ": " + rootMessage(error)));
          }
          done.countDown();
        })
        .build();
    executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "ferry-sync-engine"));
    executor.execute(engine);
    reporter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ferry-sync-status");
      t.setDaemon(true);
      return t;
    });
    reporter.scheduleAtFixedRate(status::report, statusIntervalSeconds, statusIntervalSeconds,
        TimeUnit.SECONDS);
    status.state("running", null);
    LOG.info("sync {}: streaming {} from {}", setup.config.job, setup.stream.capturedTable(),
        position.offset);
  }

  private void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    if (outcome != Outcome.STOPPED) {
      return; // stopping: nothing more is applied
    }
    List<SourceRecord> records = new ArrayList<>(events.size());
    for (RecordChangeEvent<SourceRecord> e : events) {
      records.add(e.record());
    }
    ChangeBatch batch = ChangeBatch.read(records, keyColumns, syncedColumns,
        setup.stream.capturedTable());
    if (batch.offset != null) {
      ChangeApplier.Applied applied = applyWithRetries(batch);
      if (applied == null) {
        return;
      }
      status.applied(batch, applied);
      for (int i = 0; i < batch.covered; i++) {
        committer.markProcessed(events.get(i));
      }
      committer.markBatchFinished();
    }
    if (batch.stop != null) {
      LOG.error("sync {}: {}", setup.config.job, batch.stop);
      finish(Outcome.DDL, batch.stop);
      return;
    }
    if (untilCaughtUp && batch.offset != null && caughtUp(batch)) {
      finish(Outcome.CAUGHT_UP, "every change committed at the source before the check is"
          + " applied");
    }
  }

  @SuppressWarnings("unchecked")
  private boolean caughtUp(ChangeBatch batch) {
    return setup.stream.reached((java.util.Map<String, Object>) batch.offset, head);
  }

  /** Applies a batch, retrying transient errors (a target restart) until stopped. */
  private ChangeApplier.Applied applyWithRetries(ChangeBatch batch) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return applier.apply(batch.keys, batch.partition, batch.offset, batch.events,
            batch.newestTxId);
      } catch (SQLException e) {
        String why = setup.config.redact(SqlErrors.message(e));
        if (!SqlErrors.isTransient(e) && attempt > 1 || attempt >= 30) {
          fail("applying changes to " + setup.prepared.targetName() + " failed: " + why);
          return null;
        }
        long backoff = Math.min(5_000, 200L << Math.min(attempt, 5));
        LOG.warn("sync {}: {} (attempt {}), retrying in {} ms", setup.config.job, why, attempt,
            backoff);
        Thread.sleep(backoff);
      } catch (RuntimeException e) {
        fail("applying changes to " + setup.prepared.targetName() + " failed: "
            + setup.config.redact(String.valueOf(e.getMessage())));
        return null;
      }
    }
  }

  private void fail(String why) {
    LOG.error("sync {}: {}", setup.config.job, why);
    finish(Outcome.FAILED, why);
  }

  private synchronized void finish(Outcome o, String why) {
    if (outcome != Outcome.STOPPED) {
      return;
    }
    outcome = o;
    message = why;
    status.state(o.name().toLowerCase(Locale.ROOT).replace('_', '-'), why);
    // The engine is closed from another thread: closing waits for the batch handler to return.
    Thread closer = new Thread(this::closeEngine, "ferry-sync-stop");
    closer.setDaemon(true);
    closer.start();
  }

  /** Stops the sync (a user's Ctrl-C or SIGTERM); the batch being applied completes first. */
  void stop() {
    stopRequested = true;
    closeEngine();
  }

  private void closeEngine() {
    try {
      engine.close();
    } catch (Exception e) {
      LOG.warn("sync {}: stopping the engine: {}", setup.config.job, e.getMessage());
    }
  }

  /** Waits until the sync ends; returns how. */
  Outcome await() throws InterruptedException {
    done.await();
    executor.shutdown();
    executor.awaitTermination(30, TimeUnit.SECONDS);
    reporter.shutdownNow();
    applier.close();
    TargetOffsetStore.unregister(startKey);
    if (outcome == Outcome.STOPPED) {
      status.state("stopped", null);
    }
    status.report();
    return outcome;
  }

  /** Whether the run ended by itself (caught up, DDL, failure) rather than by {@link #stop}. */
  boolean ended() {
    return done.getCount() == 0;
  }

  String message() {
    return message;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
