package dev.ferry.pipelines.dryrun;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.Counters;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.job.JobMain;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.profile.Failures;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.KeyRangePlanner;
import dev.ferry.profile.TableCatalog;
import dev.ferry.progress.ProgressStore;
import dev.ferry.read.RangeTask;
import dev.ferry.read.ReadRanges;
import dev.ferry.read.SpreadRanges;
import dev.ferry.record.Layout;
import dev.ferry.write.TargetTable;
import dev.ferry.write.WriteChunks;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dry run: copies a deterministic sample of about 1% of a backfill's key ranges (see
 * {@link SampledRanges}) with the backfill's own transforms — {@code ReadRanges},
 * {@code MapChunks}, {@code WriteChunks} — into the real target or a scratch copy of it, times
 * it, and extrapolates the full run's duration and the target's size, now and after N months of
 * the measured growth, printing the assumptions with the numbers.
 *
 * <pre>
 * java -cp ferry-direct.jar dev.ferry.pipelines.dryrun.DryRunPipeline --spec=job.yaml \
 *     --samplePercent=1 --scratchSchema=ferry_scratch
 * </pre>
 *
 * <p>Progress and dead letters are kept under the job name with {@code .dryrun} appended (in the
 * scratch schema when there is one), so the real job's progress is never touched. Writing into
 * the real target is safe: the upsert is idempotent, and the real backfill rewrites the sampled
 * rows unchanged.
 */
public final class DryRunPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(DryRunPipeline.class);
  private static final String FINGERPRINT = "dry-run";
  // Empty and warm-up ranges are not in the saved sample plan; fingerprints of their own keep
  // their checkpoints away from the sample's progress rows.
  private static final String FIXED_COST_FINGERPRINT = "dry-run-fixed-cost";
  private static final String WARMUP_FINGERPRINT = "dry-run-warm-up";

  private DryRunPipeline() {}

  public static void main(String[] args) {
    System.exit(run(args).exitCode);
  }

  /** Parses flags, runs, prints the report; never throws for a failed run (see exit code). */
  public static DryRunReport run(String[] args) {
    return JobMain.run(args, DryRunOptions.class, DryRunPipeline::run, message -> {
      DryRunReport report = new DryRunReport();
      fail(report, ExitCodes.INVALID, "invalid", "flags: " + message);
      return finish(report, null, System.nanoTime());
    });
  }

  public static DryRunReport run(DryRunOptions options, Secrets secrets) {
    long start = System.nanoTime();
    DryRunReport report = new DryRunReport();
    report.job = options.getJob();
    BackfillConfig config = null;
    try {
      config = BackfillConfig.from(options, secrets);
      report.job = config.job;
      report.source = config.source.toString();
      int every;
      try {
        every = SampledRanges.every(options.getSamplePercent());
      } catch (IllegalArgumentException e) {
        throw new SpecException(config.origin, "samplePercent", e.getMessage());
      }
      if (options.getMonths() < 0) {
        throw new SpecException(config.origin, "months", "must not be negative");
      }
      new DryRun(options, config, every, report, start).execute();
      report.status = "succeeded";
      report.exitCode = ExitCodes.OK;
    } catch (SpecException e) {
      fail(report, ExitCodes.INVALID, "invalid", e.getMessage());
    } catch (Exception e) {
      fail(report, ExitCodes.forFailure(e), "failed", config == null ? e.getMessage()
          : Failures.describe(e, config.source, config.target));
    }
    return finish(report, options.getReport(), start);
  }

  private static void fail(DryRunReport report, int exitCode, String status, String error) {
    report.status = status;
    report.exitCode = exitCode;
    report.error = error;
  }

  private static DryRunReport finish(DryRunReport report, String reportFile, long start) {
    report.seconds = (System.nanoTime() - start) / 1e9;
    report.print(report.exitCode, reportFile, LOG);
    return report;
  }

  /** One dry run of a configured job. */
  private static final class DryRun {
    private final DryRunOptions options;
    private final BackfillConfig config;
    private final int every;
    private final DryRunReport report;
    private final String job;
    private final String runId;
    /** When the command started, as the backfill's summary times itself. */
    private final long startNanos;

    DryRun(DryRunOptions options, BackfillConfig config, int every, DryRunReport report,
        long startNanos) {
      this.startNanos = startNanos;
      this.options = options;
      this.config = config;
      this.every = every;
      this.report = report;
      this.job = config.job + ".dryrun";
      this.runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
          .format(ZonedDateTime.now(ZoneOffset.UTC)) + "-"
          + UUID.randomUUID().toString().substring(0, 8);
    }

    void execute() throws Exception {
      JobPlan p = BackfillPipeline.prepareSource(config);
      TargetTable real = BackfillPipeline.describeTarget(config, p);
      TargetTable table = real;
      List<String> stateSchema = config.stateSchema;
      String scratch = options.getScratchSchema();
      if (scratch != null) {
        List<String> copy = ScratchTable.create(config.target, real, scratch);
        table = TargetTable.describe(config.target, copy, p.mapper().targetLayout().names(),
            real.keyColumns());
        stateSchema = List.of(scratch);
        report.writtenTo = table.displayName() + " at " + config.target + " (scratch copy of "
            + real.displayName() + ")";
      } else {
        report.writtenTo = table.displayName() + " at " + config.target + " (the real target;"
            + " the sampled rows stay, and the backfill rewrites them unchanged)";
      }
      ProgressStore store = new ProgressStore(config.target, stateSchema);
      store.ensureTables();

      long planStart = System.nanoTime();
      List<KeyRange> planned = plan(p);
      int width = SampledRanges.width(planned, every, config.partitions, config.batchSize);
      SampledRanges sample = SampledRanges.choose(planned, every, width);
      report.planSeconds = (System.nanoTime() - planStart) / 1e9;
      report.rangesPlanned = sample.planned.size();
      report.rangesSampled = sample.sampled.size();
      report.rowsInTable = sample.plannedRows();
      report.samplePercent = 100.0 * width / every;
      if (width > 1) {
        report.notes.add(String.format("sampled %.1f%% instead of %.1f%%: at %.1f%% each sampled"
            + " range would hold a few rows, and the per-chunk cost would be read as per-row"
            + " cost", report.samplePercent, 100.0 / every, 100.0 / every));
      }
      store.forget(job, FINGERPRINT);
      List<RangeTask> sampled = store.planOrResume(job, FINGERPRINT, () -> sample.sampled)
          .pending;
      List<RangeTask> warmup = new ArrayList<>();
      sample.warmup.forEach(r -> warmup.add(RangeTask.fresh(r)));
      List<RangeTask> empty = new ArrayList<>();
      sample.empty.forEach(r -> empty.add(RangeTask.fresh(r)));

      TableSize before = TableSize.of(config.target, table.name());
      // Up to its first pipeline the dry run does what a backfill does first (read the spec,
      // connect, describe both tables, plan, set up state): the backfill's setup time.
      report.setupSeconds = (System.nanoTime() - startNanos) / 1e9;
      Measured warm = copy(p, table, stateSchema, warmup, WARMUP_FINGERPRINT);
      report.warmupSeconds = warm.seconds;
      // Empty runs before and after the timed sample; the faster one is the fixed cost.
      Measured fixedBefore = copy(p, table, stateSchema, empty, FIXED_COST_FINGERPRINT);
      Measured measured = copy(p, table, stateSchema, sampled, FINGERPRINT);
      Measured fixedAfter = copy(p, table, stateSchema, empty, FIXED_COST_FINGERPRINT);
      TableSize after = TableSize.of(config.target, table.name());
      report.warmupRows = warm.rowsWritten;

      report.sampleSeconds = measured.seconds;
      report.fixedSeconds = empty.isEmpty() ? 0 : Math.min(fixedBefore.seconds,
          fixedAfter.seconds);
      report.rowsRead = measured.rowsRead;
      report.rowsWritten = measured.rowsWritten;
      report.rowsDeadLettered = measured.rowsDeadLettered;
      report.bytesPerRow = TableSize.bytesPerRow(before, after);
      if (after.rows == before.rows && after.rows > 0) {
        report.notes.add("the sampled rows were already in the target: bytes per row is the"
            + " table's average");
      }
      if (measured.rowsDeadLettered > 0) {
        report.notes.add(measured.rowsDeadLettered + " sampled rows were dead-lettered (job "
            + job + " in the dead-letter table); run the profile to see them all");
      }
      report.months = options.getMonths();
      report.growth = growth(p.sourceLayout(), p);
      assumptions();
      report.extrapolate();
    }

    private List<KeyRange> plan(JobPlan p) throws SQLException {
      try (Connection c = config.source.connect(JdbcEndpoint.Role.SOURCE)) {
        c.setReadOnly(true);
        return new KeyRangePlanner(config.source.dialect(), p.relation(),
            config.partitions * every).plan(c);
      }
    }

    private dev.ferry.profile.Growth growth(Layout layout, JobPlan p)
        throws SQLException {
      String column = options.getCreatedAtColumn();
      if (column == null) {
        column = TableCatalog.detectCreatedAt(layout);
      } else if (!layout.has(column)
          || !TableCatalog.isTemporal(layout.column(layout.indexOf(column)))) {
        throw new SpecException(config.origin, "createdAtColumn", "'" + column + "' is not a"
            + " date or timestamp column of " + p.relation().displayName());
      }
      if (column == null) {
        report.notes.add("growth: no created-at column found; name one with --createdAtColumn");
        return null;
      }
      try (Connection c = config.source.connect(JdbcEndpoint.Role.SOURCE)) {
        c.setReadOnly(true);
        return TableCatalog.growth(c, config.source.dialect(),
            p.relation().fromClause(config.source.dialect()), column);
      }
    }

    private void assumptions() {
      List<String> a = report.assumptions;
      a.add(String.format("the full run reads %d ranges in parallel like the sample did (every"
          + " %d-th of %d planned ranges), on the same runner, machine and flags",
          report.rangesSampled, every, report.rangesPlanned));
      a.add(String.format("a run's time is a fixed cost plus a time per row, and chunk commits"
          + " weigh per row as in the full run: the sampled ranges hold about %,d rows each"
          + " (batchSize %d), the full run's %,d", report.rangesSampled == 0 ? 0
              : report.rowsRead / report.rangesSampled, config.batchSize,
          report.rowsInTable / Math.max(1, config.partitions)));
      a.add("time per row is the sample's, timed after a warm-up sample of the neighbouring"
          + " ranges: the sampled ranges, spread evenly over the key space, hold rows like the"
          + " rest (wide or skewed rows elsewhere make it longer)");
      a.add(String.format("fixed cost per run (pipeline start, a connection, query and"
          + " checkpoint per range) is %.2f s, measured on %d empty ranges", report.fixedSeconds,
          report.rangesSampled));
      a.add(String.format("the backfill runs in a fresh JVM, like this dry run: its setup"
          + " (spec, connections, planning) takes this run's %.2f s, and its first pipeline"
          + " the warm-up's extra start-up (class loading, compilation), measured at the"
          + " warm-up; creating the target table (--createTarget) is not included",
          report.setupSeconds));
      a.add("the target grows by the sample's bytes per row, indexes included; small samples"
          + " overstate it by page and extent granularity (MySQL allocates in 16 KiB pages"
          + " and 1 MiB extents)");
      a.add("source and target carry the same other load as during the sample; throttling"
          + " (maxRowsPerSecond) applies to both");
      if (report.growth != null) {
        a.add("the table keeps growing at the last 30 days' rate by " + report.growth.column);
      }
    }

    /** What one pipeline run took and did. */
    private static final class Measured {
      double seconds;
      long rowsRead;
      long rowsWritten;
      long rowsDeadLettered;
    }

    /** Runs the backfill's transforms over {@code tasks} into {@code table}, timed. */
    private Measured copy(JobPlan p, TargetTable table,
        List<String> stateSchema, List<RangeTask> tasks, String fingerprint) {
      Measured m = new Measured();
      if (tasks.isEmpty()) {
        return m;
      }
      String step = "Table." + table.displayName().replaceAll("[^A-Za-z0-9_.]", "_");
      ReadRanges read = BackfillPipeline.readRanges(config, p, table, job, null);
      long start = System.nanoTime();
      Pipeline pipeline = Pipeline.create(options);
      p.copyInOneStep(pipeline.apply(step + ".Ranges", SpreadRanges.of(tasks)),
          step, read, WriteChunks.into(config.target, table, p.sourceLayout(),
                  p.relation().keyColumns())
              .forJob(job, fingerprint, runId)
              .withStateSchema(stateSchema));
      PipelineResult result = pipeline.run();
      PipelineResult.State state = result.waitUntilFinish();
      m.seconds = (System.nanoTime() - start) / 1e9;
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("the dry run's pipeline ended " + state);
      }
      m.rowsRead = Counters.total(result, ReadRanges.class, "rowsRead");
      m.rowsWritten = Counters.total(result, WriteChunks.class, "rowsWritten");
      m.rowsDeadLettered = Counters.total(result, WriteChunks.class, "rowsDeadLettered");
      return m;
    }
  }
}
