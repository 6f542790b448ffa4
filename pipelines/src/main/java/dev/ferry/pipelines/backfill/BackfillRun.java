package dev.ferry.pipelines.backfill;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.MapChunks;
import dev.ferry.mongo.MongoProgressStore;
import dev.ferry.mongo.ReadCollection;
import dev.ferry.mongo.UpsertDocuments;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.job.JobTarget;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.plan.KeyRangePlanner;
import dev.ferry.progress.JobState;
import dev.ferry.progress.ProgressStore;
import dev.ferry.progress.StateTables;
import dev.ferry.read.RangeTask;
import dev.ferry.read.ReadRanges;
import dev.ferry.read.SpreadRanges;
import dev.ferry.record.Chunk;
import dev.ferry.write.WriteChunks;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution of a configured backfill job: {@link #begin} (prepare, plan or resume, start the
 * run log), {@link #apply} (its steps, into a pipeline), {@link #collect} (the pipeline's
 * counters) and {@link #end} (checkpoint totals, the run log, the summary). {@link #execute} does
 * all four with a pipeline of its own; {@link BackfillBatch} puts several jobs' steps into one
 * pipeline, so that many small tables do not each pay a pipeline's start.
 */
final class BackfillRun {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillRun.class);

  private final BackfillOptions options;
  private final BackfillConfig config;
  private final BackfillPipeline.Variant variant;
  private final RunSummary summary = new RunSummary();
  private final long startNanos = System.nanoTime();
  /** Rows the checkpoints counted as written before this run started. */
  private long writtenBefore;
  private JobState store;
  private AutoCloseable lease;
  private boolean started;
  private JobPlan prepared;
  private ProgressStore.Work work;
  private String since;
  private String readStep;
  /** The prefix of every step of this job, to tell its counters from other jobs' in a batch. */
  private String stepPrefix;
  private boolean done;
  /** Whether the state tables are known to exist (a batch creates them once for its jobs). */
  private boolean stateTablesExist;

  BackfillRun(BackfillOptions options, BackfillConfig config, BackfillPipeline.Variant variant) {
    this.options = options;
    this.config = config;
    this.variant = variant;
    summary.job = config.job;
    summary.source = config.sourceName();
    summary.target = config.targetName();
    summary.maxDeadLetters = config.maxDeadLetters;
    summary.runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .format(ZonedDateTime.now(ZoneOffset.UTC)) + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Runs the job with a pipeline of its own; never throws for a failed run (see exit code). */
  RunSummary execute() {
    if (begin() && needsPipeline()) {
      Pipeline pipeline = Pipeline.create(options);
      try {
        apply(pipeline);
        LOG.info("{}: copying {} ranges of {} to {}", config.job, work.pending.size(),
            prepared.sourceName(), prepared.targetName());
        try (ProgressReporter reporter = new ProgressReporter(store, config.job,
            summary.fingerprint, config.progressIntervalSeconds)) {
          PipelineResult result = pipeline.run();
          result.waitUntilFinish();
          collect(result);
        }
      } catch (Exception e) {
        fail(e);
      }
    }
    return end();
  }

  /**
   * Prepares the job, plans or resumes its ranges and starts its run; false (with the summary
   * saying why) when it cannot run.
   */
  boolean begin() {
    store = config.target != null
        ? new ProgressStore(config.target, config.stateSchema)
        : new MongoProgressStore(config.mongo.targetEndpoint);
    try {
      prepared = variant.prepare(config);
      if (!stateTablesExist) {
        store.ensureTables();
      }
      since = SinceValue.resolve(config, store, prepared);
      summary.since = since;
      summary.kind = prepared.kind() != null ? prepared.kind()
          : since == null ? "backfill" : "catch-up";
      summary.fingerprint = JobFingerprint.of(config, prepared, since);
      summary.deadLetterTable = config.target != null
          ? new StateTables(config.target.dialect(), config.stateSchema)
              .table(StateTables.DEAD_LETTER)
          : config.mongo.targetEndpoint.database() + "." + StateTables.DEAD_LETTER;
      if (config.restart) {
        store.forget(config.job, summary.fingerprint);
      }
      work = store.planOrResume(config.job, summary.fingerprint,
          () -> plan(prepared), () -> captureWatermark(prepared));
      summary.watermark = work.watermark;
      if (work.resumed && work.watermark == null && config.sinceColumn != null) {
        LOG.warn("{}: the saved plan has no watermark (saved by an older ferry, or the"
            + " column was empty); taking it now", config.job);
        summary.watermark = captureWatermark(prepared);
      }
      summary.resumed = work.resumed;
      summary.rangesThisRun = work.pending.size();
      writtenBefore = store.totals(config.job, summary.fingerprint).rowsWritten;
      lease = store.holdRun(summary.runId);
      store.startRun(config.job, summary.runId, summary.fingerprint, summary.kind, since);
      started = true;
      int interrupted = store.markInterrupted(config.job, summary.runId);
      if (interrupted > 0) {
        LOG.info("{}: {} earlier run(s) whose process is gone marked interrupted in the run"
            + " log", config.job, interrupted);
      }
      if (work.resumed) {
        LOG.info("{}: resuming: {} of {} ranges already done, {} to go", config.job,
            work.doneRanges, work.totalRanges, work.pending.size());
      }
      return true;
    } catch (Exception e) {
      fail(e);
      return false;
    }
  }

  /** Skips creating the state tables in {@link #begin}: another job of the batch did. */
  void stateTablesExist() {
    stateTablesExist = true;
  }

  /** Whether ranges are left to copy (after a successful {@link #begin}). */
  boolean needsPipeline() {
    return !done && !work.pending.isEmpty();
  }

  /** The job as the run log and the console name it. */
  String job() {
    return config.job;
  }

  /** Records a failure of this job's run, for {@link #end}. */
  void fail(Exception e) {
    if (done) {
      return;
    }
    done = true;
    if (e instanceof SpecException) {
      summary.status = "invalid";
      summary.exitCode = ExitCodes.INVALID;
      summary.error = e.getMessage();
      return;
    }
    summary.status = "failed";
    summary.exitCode = ExitCodes.forFailure(e);
    summary.error = describe(e);
    if (started) {
      try {
        finish(store, "failed", null);
      } catch (Exception ignored) {
        // the summary already carries the original error
      }
    }
  }

  /** Finishes the run (unless it failed) and reports it. */
  RunSummary end() {
    if (!done) {
      try {
        finish(store, "succeeded", null);
      } catch (Exception e) {
        fail(e);
      }
    }
    close(lease);
    summary.seconds = (System.nanoTime() - startNanos) / 1e9;
    summary.rowsPerSecond = summary.rowsRead / Math.max(summary.seconds, 1e-3);
    report();
    return summary;
  }

  private void close(AutoCloseable lease) {
    if (lease != null) {
      try {
        lease.close();
      } catch (Exception e) {
        LOG.debug("closing the run's lease failed", e);
      }
    }
  }

  private String describe(Throwable e) {
    Throwable root = e;
    StringBuilder sb = new StringBuilder();
    while (root != null) {
      if (root.getMessage() != null && !sb.toString().contains(root.getMessage())) {
        sb.append(sb.length() == 0 ? "" : " <- ").append(root.getMessage());
      }
      root = root.getCause() == root ? null : root.getCause();
    }
    String text = sb.length() == 0 ? e.getClass().getName() : sb.toString();
    return config.redact(text);
  }

  /** The catch-up watermark before anything is read ({@link CatchUpWatermark}). */
  private String captureWatermark(JobPlan p) throws SQLException {
    return config.sinceColumn == null ? null : CatchUpWatermark.capture(config.source,
        p.relation(), p.sourceLayout(), config.sinceColumn, config.sinceMarginSeconds);
  }

  private List<dev.ferry.plan.KeyRange> plan(JobPlan p) throws SQLException {
    if (p.readsCollection()) {
      return MongoBackfill.plan(p.collection(), config.partitions);
    }
    try (Connection c = config.source.connect(JdbcEndpoint.Role.SOURCE)) {
      c.setReadOnly(true);
      return new KeyRangePlanner(config.source.dialect(), p.relation(), config.partitions)
          .plan(c);
    }
  }

  /** Adds the job's steps, named {@code Table.<target>.*}, to {@code pipeline}. */
  void apply(Pipeline pipeline) {
    JobPlan p = prepared;
    String step = (p.writesTable() ? "Table." : "Collection.")
        + p.targetName().replaceAll("[^A-Za-z0-9_.]", "_");
    PCollection<RangeTask> tasks = pipeline.apply(step + ".Ranges",
        SpreadRanges.of(work.pending));
    if (p.copiesInOneStep()) {
      readStep = p.copyInOneStep(tasks, step, readRanges(p, since), WriteChunks.into(
              config.target, p.table(), p.sourceLayout(), p.sourceKeyColumns())
          .forJob(config.job, summary.fingerprint, summary.runId)
          .withStateSchema(config.stateSchema)
          .withRowStatement(p.statement()));
    } else {
      readStep = step + ".Read";
      applySteps(p, tasks, step, since);
    }
    stepPrefix = step + ".";
  }

  /** Takes this job's counters from a finished pipeline. */
  void collect(PipelineResult result) {
    // Only the table's own read: lookups read with the same transform.
    summary.rowsRead = counter(result, ReadRanges.class, "rowsRead", readStep)
        + counter(result, ReadCollection.class, "rowsRead", readStep);
    summary.rowsWritten = counter(result, WriteChunks.class, "rowsWritten", stepPrefix)
        + counter(result, UpsertDocuments.class, "rowsWritten", stepPrefix);
    summary.rowsDeadLettered = counter(result, WriteChunks.class, "rowsDeadLettered", stepPrefix)
        + counter(result, UpsertDocuments.class, "rowsDeadLettered", stepPrefix);
    summary.retries = counter(result, ReadRanges.class, "readRetries", stepPrefix)
        + counter(result, WriteChunks.class, "writeRetries", stepPrefix)
        + counter(result, ReadCollection.class, "readRetries", stepPrefix)
        + counter(result, UpsertDocuments.class, "writeRetries", stepPrefix);
  }

  /** Reading, mapping, lookups and writing as separate steps: MongoDB, or lookups. */
  private void applySteps(JobPlan p, PCollection<RangeTask> tasks, String step,
      String since) {
    PCollection<Chunk> rows = tasks
        .apply(step + ".Read", p.readsCollection()
            ? MongoBackfill.read(p.collection(), config) : readRanges(p, since))
        .apply(step + ".Map", MapChunks.with(p.mapper(), p.sourceKeyColumns(),
            p.sourceName()));
    for (Map.Entry<String, PTransform<PCollection<Chunk>, PCollection<Chunk>>> s
        : p.afterMap().entrySet()) {
      rows = rows.apply(step + "." + s.getKey(), s.getValue());
    }
    if (p.target() instanceof JobTarget.Collection c) {
      rows.apply(step + ".Upsert", UpsertDocuments.into(c.collection(), p.outputLayout(),
              p.sourceLayout(), p.sourceKeyColumns())
          .forJob(config.job, summary.fingerprint, summary.runId));
    } else {
      rows.apply(step + (p.kind() == null ? ".Upsert" : ".Write"), WriteChunks.into(
              config.target, p.table(), p.sourceLayout(), p.sourceKeyColumns())
          .forJob(config.job, summary.fingerprint, summary.runId)
          .withStateSchema(config.stateSchema)
          .withRowStatement(p.statement()));
    }
  }

  private ReadRanges readRanges(JobPlan p, String since) {
    return BackfillPipeline.readRanges(config, p, p.writesTable() ? p.table() : null,
        config.job, since);
  }

  /**
   * A counter's total over the steps whose name starts with {@code step}; every step when null.
   */
  private long counter(PipelineResult result, Class<?> namespace, String name, String step) {
    MetricsFilter filter = MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(namespace, name)).build();
    MetricQueryResults metrics = result.metrics().queryMetrics(filter);
    long total = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      if (step != null && !c.getKey().stepName().startsWith(step)) {
        continue;
      }
      Long v = c.getAttempted();
      total += v == null ? 0 : v;
    }
    return total;
  }

  private void finish(JobState store, String status, String error) throws Exception {
    ProgressStore.Totals totals = store.totals(config.job, summary.fingerprint);
    summary.rangesTotal = totals.ranges;
    summary.rangesDone = totals.rangesDone;
    summary.jobRowsRead = totals.rowsRead;
    summary.jobRowsWritten = totals.rowsWritten;
    summary.jobRowsDeadLettered = totals.rowsDead;
    boolean complete = totals.rangesDone == totals.ranges;
    String finalStatus = status;
    if (status.equals("succeeded") && !complete) {
      finalStatus = "failed";
      summary.error = (totals.ranges - totals.rangesDone) + " ranges did not complete";
    }
    summary.status = finalStatus;
    summary.exitCode = finalStatus.equals("succeeded") ? ExitCodes.OK
        : ExitCodes.FAILED;
    // Accepted dead letters and those a retry wrote no longer count against the limit.
    summary.deadLettersOpen = store.openDeadLetters(config.job, summary.fingerprint);
    summary.deadLettersAccepted = store.acceptedDeadLetters(config.job, summary.fingerprint);
    if (finalStatus.equals("succeeded") && summary.deadLettersOpen > config.maxDeadLetters) {
      summary.exitCode = ExitCodes.TOO_MANY_DEAD_LETTERS;
      summary.status = "too-many-dead-letters";
    }
    store.finishRun(config.job, summary.runId, finalStatus,
        finalStatus.equals("succeeded") ? summary.watermark : null, summary.rowsRead,
        summary.rowsWritten, summary.rowsDeadLettered);
    // finishRun's commit is synchronous: the checkpoints read above are now durable with the
    // rows they count, including any whose chunk commits were asynchronous.
    summary.rowsCommitted = totals.rowsWritten - writtenBefore;
    if (config.deadLetterFile != null) {
      DeadLetterFile.write(Path.of(config.deadLetterFile), config.job,
          store.deadLetters(config.job, summary.fingerprint));
    }
  }

  private void report() {
    String text = summary.toConsole();
    if (summary.exitCode == ExitCodes.OK) {
      LOG.info(text);
    } else {
      LOG.error(text);
    }
    if (config.summaryFile != null) {
      try {
        summary.writeTo(config.summaryFile);
      } catch (IOException e) {
        LOG.error("cannot write summary file {}: {}", config.summaryFile, e.getMessage());
      }
    }
  }
}
