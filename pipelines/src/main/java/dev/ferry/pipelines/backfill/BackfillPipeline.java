package dev.ferry.pipelines.backfill;

import dev.ferry.jdbc.ColumnKinds;
import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.MapChunks;
import dev.ferry.map.RecordMapper;
import dev.ferry.mongo.CollectionSource;
import dev.ferry.mongo.CollectionTarget;
import dev.ferry.mongo.MongoProgressStore;
import dev.ferry.mongo.ReadCollection;
import dev.ferry.mongo.UpsertDocuments;
import dev.ferry.pipelines.cli.ExitCodes;
import dev.ferry.pipelines.enrich.Enrichments;
import dev.ferry.pipelines.mongo.MongoBackfill;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.plan.KeyRangePlanner;
import dev.ferry.plan.SourceRelation;
import dev.ferry.progress.JobState;
import dev.ferry.progress.ProgressStore;
import dev.ferry.progress.StateTables;
import dev.ferry.read.RangeTask;
import dev.ferry.read.ReadRanges;
import dev.ferry.read.SpreadRanges;
import dev.ferry.record.Chunk;
import dev.ferry.record.Column;
import dev.ferry.record.ConversionException;
import dev.ferry.record.Conversions;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.record.Sha256;
import dev.ferry.record.ValueKind;
import dev.ferry.write.CopyPassThrough;
import dev.ferry.write.RowStatement;
import dev.ferry.write.TargetTable;
import dev.ferry.write.WriteChunks;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfill job: plan key ranges on the source (or resume the saved plan), read each range,
 * map its rows to the target schema and upsert them, checkpointing every chunk in the target.
 *
 * <pre>
 * java -cp ferry-direct.jar dev.ferry.pipelines.backfill.BackfillPipeline --spec=job.yaml
 * </pre>
 */
public final class BackfillPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillPipeline.class);

  private BackfillPipeline() {}

  public static void main(String[] args) {
    System.exit(run(args).exitCode);
  }

  /** Parses flags, runs, prints the summary; never throws for a failed run (see exit code). */
  public static RunSummary run(String[] args) {
    PipelineOptionsFactory.register(BackfillOptions.class);
    BackfillOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(args).withValidation().as(BackfillOptions.class);
    } catch (IllegalArgumentException e) {
      return invalid("flags", e.getMessage());
    }
    return run(options, Secrets.fromSystem());
  }

  public static RunSummary run(BackfillOptions options, Secrets secrets) {
    return run(options, secrets, COPY);
  }

  /**
   * A job run the backfill's way (plan or resume, read, map, write with checkpoints, summary),
   * prepared its own way: {@code ferry fill} is one.
   */
  public interface Variant {
    /** The job's settings from its spec and flags; throws {@link SpecException} when invalid. */
    BackfillConfig configure(BackfillOptions options, Secrets secrets);

    /** Checks source and target and sets up the steps; see {@link Prepared}. */
    Prepared prepare(BackfillConfig config) throws SQLException;
  }

  /** The backfill itself: copy the source table into the target with upserts. */
  private static final Variant COPY = new Variant() {
    @Override
    public BackfillConfig configure(BackfillOptions options, Secrets secrets) {
      return BackfillConfig.fromAllowingMongo(options, secrets);
    }

    @Override
    public Prepared prepare(BackfillConfig config) throws SQLException {
      return prepareCopy(config);
    }
  };

  /**
   * The backfill's own preparation: source, mapping, lookups and target, checked; the target
   * table created first when asked. A retry of dead letters writes through the same steps.
   */
  public static Prepared prepareCopy(BackfillConfig config) throws SQLException {
    Prepared p = prepareSource(config);
    Enrichments.plan(config, p);
    if (config.mongo.targetEndpoint != null) {
      p.collectionTarget = MongoBackfill.describeTarget(config, p);
      return p;
    }
    if (config.createTarget) {
      TargetCreation.ensure(config, p);
    }
    p.target = describeTarget(config, p);
    try {
      p.target.requireUniqueKey(config.target);
    } catch (IllegalArgumentException e) {
      throw new SpecException(config.origin, "target.key", e.getMessage());
    }
    return p;
  }

  public static RunSummary run(BackfillOptions options, Secrets secrets, Variant variant) {
    BackfillConfig config;
    try {
      config = variant.configure(options, secrets);
    } catch (SpecException e) {
      return invalid(options.getJob(), e.getMessage());
    }
    return new Run(options, config, variant).execute();
  }

  /**
   * How the job reads its table for {@code table}: its chunk size, zero dates and throttle
   * ({@code throttleName} shares it between readers), the catch-up filter from {@code since}
   * (null: none), and COPY text when {@link Prepared#copiesAsText} allows it. The dry run reads
   * its sample the same way, or its timing would not scale to the full run.
   */
  public static ReadRanges readRanges(BackfillConfig config, Prepared p, TargetTable table,
      String throttleName, String since) {
    ReadRanges read = ReadRanges.from(config.source, p.relation, p.sourceLayout)
        .withChunkSize(config.batchSize)
        .withZeroDatesAsNull(config.zeroDatesAsNull)
        .withBackpressure(config.stepOutputsInMemory);
    if (config.maxRowsPerSecond > 0) {
      read = read.withMaxRowsPerSecond(config.maxRowsPerSecond, throttleName);
    }
    if (since != null) {
      read = read.withSince(config.sinceColumn, KeyCodec.decode(since)[0]);
    }
    return p.copiesAsText(config.source, config.target, table, since != null)
        ? read.withCopyText() : read;
  }

  /** The summary of a run that never started because its spec or flags are invalid. */
  public static RunSummary invalid(String job, String message) {
    RunSummary s = new RunSummary();
    s.job = job;
    s.status = "invalid";
    s.exitCode = RunSummary.EXIT_INVALID_SPEC;
    s.error = message;
    LOG.error("invalid job spec: {}", message);
    return s;
  }

  /** One execution of a configured job. */
  private static final class Run {
    private final BackfillOptions options;
    private final BackfillConfig config;
    private final Variant variant;
    private final RunSummary summary = new RunSummary();
    private final long startNanos = System.nanoTime();
    /** Rows the checkpoints counted as written before this run started. */
    private long writtenBefore;

    Run(BackfillOptions options, BackfillConfig config, Variant variant) {
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

    RunSummary execute() {
      JobState store = config.target != null
          ? new ProgressStore(config.target, config.stateSchema)
          : new MongoProgressStore(config.mongo.targetEndpoint);
      boolean started = false;
      AutoCloseable lease = null;
      try {
        Prepared prepared = variant.prepare(config);
        store.ensureTables();
        String since = resolveSince(store, prepared);
        summary.since = since;
        summary.kind = prepared.kind != null ? prepared.kind
            : since == null ? "backfill" : "catch-up";
        summary.fingerprint = fingerprint(prepared, since);
        summary.deadLetterTable = config.target != null
            ? new StateTables(config.target.dialect(), config.stateSchema)
                .table(StateTables.DEAD_LETTER)
            : config.mongo.targetEndpoint.database() + "." + StateTables.DEAD_LETTER;
        if (config.restart) {
          store.forget(config.job, summary.fingerprint);
        }
        ProgressStore.Work work = store.planOrResume(config.job, summary.fingerprint,
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
        if (!work.pending.isEmpty()) {
          runPipeline(prepared, work.pending, store, since);
        }
        finish(store, "succeeded", null);
      } catch (SpecException e) {
        summary.status = "invalid";
        summary.exitCode = RunSummary.EXIT_INVALID_SPEC;
        summary.error = e.getMessage();
      } catch (Exception e) {
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
      } finally {
        close(lease);
      }
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

    private String resolveSince(JobState store, Prepared p) throws Exception {
      if (config.since == null) {
        return null;
      }
      if (config.since.equals("last")) {
        String watermark = store.lastWatermark(config.job);
        if (watermark == null) {
          throw new SpecException(config.origin, "since.value", "'last' needs an earlier"
              + " successful run of job " + config.job + " that recorded a watermark");
        }
        return watermark;
      }
      Column column = p.sourceLayout.column(p.sourceLayout.indexOf(config.sinceColumn));
      try {
        Object value = Conversions.convert(config.since, sinceKind(column));
        return KeyCodec.encode(new Object[] {value});
      } catch (ConversionException e) {
        throw new SpecException(config.origin, "since.value", e.getMessage());
      }
    }

    /** The watermark column's own kind; kinds a watermark cannot order by compare as text. */
    private ValueKind sinceKind(Column c) {
      ValueKind kind = ColumnKinds.of(c, config.source.dialect());
      switch (kind) {
        case DATE:
        case TIMESTAMP:
        case TIMESTAMPTZ:
        case LONG:
        case DECIMAL:
          return kind;
        default:
          return ValueKind.TEXT;
      }
    }

    /** The catch-up watermark before anything is read ({@link CatchUpWatermark}). */
    private String captureWatermark(Prepared p) throws SQLException {
      return config.sinceColumn == null ? null : CatchUpWatermark.capture(config.source,
          p.relation, p.sourceLayout, config.sinceColumn, config.sinceMarginSeconds);
    }

    private List<dev.ferry.plan.KeyRange> plan(Prepared p) throws SQLException {
      if (p.collection != null) {
        return MongoBackfill.plan(p.collection, config.partitions);
      }
      try (Connection c = config.source.connect(JdbcEndpoint.Role.SOURCE)) {
        c.setReadOnly(true);
        return new KeyRangePlanner(config.source.dialect(), p.relation, config.partitions)
            .plan(c);
      }
    }

    private String fingerprint(Prepared p, String since) {
      String canonical = String.join("\n", config.job, config.sourceName(),
          p.relation != null ? p.relation.toString() : p.collection.toString(),
          String.valueOf(config.sourceQuery), config.targetName(), p.targetName(),
          p.targetKey().toString(), config.mapping.fingerprint(),
          String.valueOf(config.sinceColumn), String.valueOf(since),
          String.valueOf(config.zeroDatesAsNull));
      if (p.kind != null) {
        // A collection's filter is part of its name above; a relation's query is not.
        canonical += "\n" + p.kind + (p.relation == null ? ""
            : "\n" + p.relation.fromClause(config.source.dialect()));
      }
      return Sha256.hex(canonical).substring(0, 32);
    }

    private void runPipeline(Prepared p, List<RangeTask> pending, JobState store,
        String since) {
      String step = (p.target != null ? "Table." : "Collection.")
          + p.targetName().replaceAll("[^A-Za-z0-9_.]", "_");
      Pipeline pipeline = Pipeline.create(options);
      PCollection<RangeTask> tasks = pipeline.apply(step + ".Ranges", SpreadRanges.of(pending));
      String readStep;
      if (p.copiesInOneStep()) {
        readStep = p.copyInOneStep(tasks, step, readRanges(p, since), WriteChunks.into(
                config.target, p.target, p.sourceLayout, p.sourceKeyColumns())
            .forJob(config.job, summary.fingerprint, summary.runId)
            .withStateSchema(config.stateSchema)
            .withRowStatement(p.statement));
      } else {
        readStep = step + ".Read";
        applySteps(p, tasks, step, since);
      }
      LOG.info("{}: copying {} ranges of {} to {}", config.job, pending.size(),
          p.sourceName(), p.targetName());
      try (ProgressReporter reporter = new ProgressReporter(store, config.job,
          summary.fingerprint, config.progressIntervalSeconds)) {
        PipelineResult result = pipeline.run();
        result.waitUntilFinish();
        // Only the table's own read: lookups read with the same transform.
        summary.rowsRead = counter(result, ReadRanges.class, "rowsRead", readStep)
            + counter(result, ReadCollection.class, "rowsRead", readStep);
        summary.rowsWritten = counter(result, WriteChunks.class, "rowsWritten", null)
            + counter(result, UpsertDocuments.class, "rowsWritten", null);
        summary.rowsDeadLettered = counter(result, WriteChunks.class, "rowsDeadLettered", null)
            + counter(result, UpsertDocuments.class, "rowsDeadLettered", null);
        summary.retries = counter(result, ReadRanges.class, "readRetries", null)
            + counter(result, WriteChunks.class, "writeRetries", null)
            + counter(result, ReadCollection.class, "readRetries", null)
            + counter(result, UpsertDocuments.class, "writeRetries", null);
      }
    }

    /** Reading, mapping, lookups and writing as separate steps: MongoDB, or lookups. */
    private void applySteps(Prepared p, PCollection<RangeTask> tasks, String step,
        String since) {
      PCollection<Chunk> rows = tasks
          .apply(step + ".Read", p.collection != null
              ? MongoBackfill.read(p.collection, config) : readRanges(p, since))
          .apply(step + ".Map", MapChunks.with(p.mapper, p.sourceKeyColumns(),
              p.sourceName()));
      for (Map.Entry<String, PTransform<PCollection<Chunk>, PCollection<Chunk>>> s
          : p.afterMap.entrySet()) {
        rows = rows.apply(step + "." + s.getKey(), s.getValue());
      }
      if (p.collectionTarget != null) {
        rows.apply(step + ".Upsert", UpsertDocuments.into(p.collectionTarget, p.outputLayout(),
                p.sourceLayout, p.sourceKeyColumns())
            .forJob(config.job, summary.fingerprint, summary.runId));
      } else {
        rows.apply(step + (p.kind == null ? ".Upsert" : ".Write"), WriteChunks.into(
                config.target, p.target, p.sourceLayout, p.sourceKeyColumns())
            .forJob(config.job, summary.fingerprint, summary.runId)
            .withStateSchema(config.stateSchema)
            .withRowStatement(p.statement));
      }
    }

    private ReadRanges readRanges(Prepared p, String since) {
      return BackfillPipeline.readRanges(config, p, p.target, config.job, since);
    }

    /** A counter's total over all steps, or over {@code step} when not null. */
    private long counter(PipelineResult result, Class<?> namespace, String name, String step) {
      MetricsFilter.Builder filter = MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named(namespace, name));
      if (step != null) {
        filter.addStep(step);
      }
      MetricQueryResults metrics = result.metrics().queryMetrics(filter.build());
      long total = 0;
      for (MetricResult<Long> c : metrics.getCounters()) {
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
      summary.exitCode = finalStatus.equals("succeeded") ? RunSummary.EXIT_OK
          : RunSummary.EXIT_FAILED;
      // Accepted dead letters and those a retry wrote no longer count against the limit.
      summary.deadLettersOpen = store.openDeadLetters(config.job, summary.fingerprint);
      summary.deadLettersAccepted = store.acceptedDeadLetters(config.job, summary.fingerprint);
      if (finalStatus.equals("succeeded") && summary.deadLettersOpen > config.maxDeadLetters) {
        summary.exitCode = RunSummary.EXIT_TOO_MANY_DEAD_LETTERS;
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
      if (summary.exitCode == RunSummary.EXIT_OK) {
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

  /**
   * What a job's source and target look like, checked against the mapping before any work. The
   * profile and dry-run jobs start from the same checks.
   */
  public static final class Prepared {
    /** The JDBC source; null when the source is a collection. */
    public SourceRelation relation;
    /** The MongoDB source, described; null when the source is JDBC. */
    public CollectionSource collection;
    public Layout sourceLayout;
    public RecordMapper mapper;
    /** The JDBC target; null when the target is a collection. */
    public TargetTable target;
    /** The MongoDB target; null when the target is JDBC. */
    public CollectionTarget collectionTarget;
    /** Steps between mapping and writing, by step name, in order (lookups, a fill's own). */
    public final Map<String, PTransform<PCollection<Chunk>, PCollection<Chunk>>> afterMap =
        new LinkedHashMap<>();
    /** The rows' columns after the steps of {@link #afterMap}; null: the mapping's. */
    public Layout enrichedLayout;
    /** What the writer runs for each row. */
    public RowStatement statement = RowStatement.upsert();
    /** A variant's kind for the run log ("fill"), which also sets its runs apart; null: copy. */
    public String kind;

    /** The columns of the rows as the mapping and any lookups leave them. */
    public Layout outputLayout() {
      return enrichedLayout != null ? enrichedLayout : mapper.targetLayout();
    }

    /**
     * Whether rows go from source to {@code table} as COPY text, never parsed ({@link
     * CopyPassThrough}): a plain copy of a table with a mapping that changes nothing, no lookups
     * and no catch-up filter, into a target with the source's own columns. Logs the choice.
     */
    public boolean copiesAsText(JdbcEndpoint source, JdbcEndpoint target, TargetTable table,
        boolean since) {
      String refusal = kind != null || !afterMap.isEmpty() || !statement.insertsRows()
          ? "rows are changed on the way" : relation == null || table == null ? "not a table to a table"
          : !mapper.isIdentity() ? "the mapping has rules" : since ? "a catch-up run"
          : CopyPassThrough.refusal(source, sourceLayout, relation.keyColumns(), target, table);
      if (refusal == null) {
        LOG.info("{}: rows pass from COPY to COPY as text (same columns on both sides)",
            sourceName());
      } else {
        LOG.info("{}: rows are read as values ({})", sourceName(), refusal);
      }
      return refusal == null;
    }

    /** Whether {@link #copyInOneStep} applies: a table into a table, with no lookups. */
    public boolean copiesInOneStep() {
      return relation != null && target != null && afterMap.isEmpty();
    }

    /**
     * Reads the tasks' ranges, maps the rows and writes them in one step, {@code <step>.Copy}
     * ({@link ReadRanges#into}), and returns the step's name. On the DirectRunner, which runs
     * separate steps one after another, this lets one range's writing overlap another's
     * reading, and keeps read chunks from piling up in memory; other runners fuse the steps
     * anyway.
     */
    public String copyInOneStep(PCollection<RangeTask> tasks, String step, ReadRanges read,
        WriteChunks write) {
      String name = step + ".Copy";
      tasks.apply(name, read.into(MapChunks.with(mapper, sourceKeyColumns(), sourceName())
          .then(write.asSink())));
      return name;
    }

    public List<String> sourceKeyColumns() {
      return relation != null ? relation.keyColumns() : List.of(collection.key());
    }

    public String sourceName() {
      return relation != null ? relation.displayName() : collection.collectionName();
    }

    public String targetName() {
      return target != null ? target.displayName() : collectionTarget.collectionName();
    }

    public List<String> targetKey() {
      return target != null ? target.keyColumns() : collectionTarget.key();
    }
  }

  /** The source relation (key from the spec or the primary key), its layout and the mapping. */
  public static Prepared prepareSource(BackfillConfig config) throws SQLException {
    return prepareSource(config, true);
  }

  /**
   * Like {@link #prepareSource(BackfillConfig)}; a table with neither a key in the spec nor a
   * primary key is refused when {@code keyRequired}, else read as one range without a key
   * ({@link SourceRelation#unkeyedTable}), which only a profile does.
   */
  public static Prepared prepareSource(BackfillConfig config, boolean keyRequired)
      throws SQLException {
    if (config.mongo.source != null) {
      return MongoBackfill.prepareSource(config);
    }
    Prepared p = new Prepared();
    Dialect dialect = config.source.dialect();
    try (Connection c = config.source.connect(JdbcEndpoint.Role.SOURCE)) {
      String from = config.sourceQuery != null
          ? SourceRelation.query(config.sourceQuery, List.of("-")).fromClause(dialect)
          : dialect.quoteQualified(config.sourceTable);
      try {
        p.sourceLayout = Describe.relation(c, from);
      } catch (SQLException e) {
        throw new SpecException(config.origin, config.sourceQuery != null ? "source.query"
            : "source.table", "cannot be read at " + config.source + ": "
            + config.source.redact(e.getMessage()));
      }
      List<String> key = config.sourceKey;
      if (key.isEmpty() && config.sourceQuery == null) {
        key = SourceKey.primaryKey(dialect, c, config.sourceTable);
      }
      if (key.isEmpty() && keyRequired && config.sourceQuery == null) {
        throw new SpecException(config.origin, "source.key", "table " + String.join(".",
            config.sourceTable) + " has no primary key; name the key column(s) that identify a"
            + " row");
      }
      p.relation = config.sourceQuery != null ? SourceRelation.query(config.sourceQuery, key)
          : key.isEmpty() ? SourceRelation.unkeyedTable(config.sourceTable)
          : SourceRelation.table(config.sourceTable, key);
    }
    for (String k : p.relation.keyColumns()) {
      if (!p.sourceLayout.has(k)) {
        throw new SpecException(config.origin, "source.key", "no column '" + k + "' in "
            + p.relation.displayName() + " (columns: " + p.sourceLayout.names() + ")");
      }
    }
    if (config.sinceColumn != null && !p.sourceLayout.has(config.sinceColumn)) {
      throw new SpecException(config.origin, "since.column", "no column '"
          + config.sinceColumn + "' in " + p.relation.displayName());
    }
    try {
      p.mapper = RecordMapper.compile(
          TargetNaming.apply(config.mapping, p.sourceLayout, config.naming), p.sourceLayout);
    } catch (IllegalArgumentException e) {
      throw new SpecException(config.origin, "mapping", e.getMessage());
    }
    return p;
  }

  /** The target table lined up with the mapping's output, keyed as configured or as the source. */
  public static TargetTable describeTarget(BackfillConfig config, Prepared p)
      throws SQLException {
    try {
      return TargetTable.describe(config.target, config.targetTable,
          p.outputLayout().names(), targetKey(config, p));
    } catch (IllegalArgumentException e) {
      throw new SpecException(config.origin, "target.table", e.getMessage());
    }
  }

  /** The target key as configured, or the target columns the mapping carries the key to. */
  public static List<String> targetKey(BackfillConfig config, Prepared p) {
    if (!config.targetKey.isEmpty()) {
      return config.targetKey;
    }
    List<String> targetKey = new ArrayList<>();
    for (String k : p.sourceKeyColumns()) {
      String out = p.mapper.outputFor(k);
      if (out == null) {
        throw new SpecException(config.origin, "target.key", "required: the mapping does"
            + " not carry source key column '" + k + "' to a single target column");
      }
      targetKey.add(out);
    }
    return targetKey;
  }

}
