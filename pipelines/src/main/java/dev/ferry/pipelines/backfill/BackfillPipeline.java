package dev.ferry.pipelines.backfill;

import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.RecordMapper;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.job.JobMain;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.job.JobSource;
import dev.ferry.pipelines.job.JobTarget;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.plan.SourceRelation;
import dev.ferry.read.ReadRanges;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.write.TargetTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
    return JobMain.run(args, BackfillOptions.class, BackfillPipeline::run,
        message -> invalid("flags", message));
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

    /** Checks source and target and sets up the steps; see {@link JobPlan}. */
    JobPlan prepare(BackfillConfig config) throws SQLException;
  }

  /** The backfill itself: copy the source table into the target with upserts. */
  static final Variant COPY = new Variant() {
    @Override
    public BackfillConfig configure(BackfillOptions options, Secrets secrets) {
      return BackfillConfig.fromAllowingMongo(options, secrets);
    }

    @Override
    public JobPlan prepare(BackfillConfig config) throws SQLException {
      return prepareCopy(config);
    }
  };

  /**
   * The backfill's own preparation: source, mapping, lookups and target, checked; the target
   * table created first when asked. A retry of dead letters writes through the same steps.
   */
  public static JobPlan prepareCopy(BackfillConfig config) throws SQLException {
    JobPlan p = Enrichments.plan(config, prepareSource(config));
    if (config.mongo.targetEndpoint != null) {
      return p.withTarget(new JobTarget.Collection(MongoBackfill.describeTarget(config, p)));
    }
    if (config.createTarget) {
      TargetCreation.ensure(config, p);
    }
    TargetTable table = describeTarget(config, p);
    try {
      table.requireUniqueKey(config.target);
    } catch (IllegalArgumentException e) {
      throw new SpecException(config.origin, "target.key", e.getMessage());
    }
    return p.withTarget(new JobTarget.Table(table));
  }

  public static RunSummary run(BackfillOptions options, Secrets secrets, Variant variant) {
    BackfillConfig config;
    try {
      config = variant.configure(options, secrets);
    } catch (SpecException e) {
      return invalid(options.getJob(), e.getMessage());
    }
    return new BackfillRun(options, config, variant).execute();
  }

  /**
   * How the job reads its table for {@code table}: its chunk size, zero dates and throttle
   * ({@code throttleName} shares it between readers), the catch-up filter from {@code since}
   * (null: none), and COPY text when {@link JobPlan#copiesAsText} allows it. The dry run reads
   * its sample the same way, or its timing would not scale to the full run.
   */
  public static ReadRanges readRanges(BackfillConfig config, JobPlan p, TargetTable table,
      String throttleName, String since) {
    ReadRanges read = ReadRanges.from(config.source, p.relation(), p.sourceLayout())
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
    s.exitCode = ExitCodes.INVALID;
    s.error = message;
    LOG.error("invalid job spec: {}", message);
    return s;
  }

  /** The source relation (key from the spec or the primary key), its layout and the mapping. */
  public static JobPlan prepareSource(BackfillConfig config) throws SQLException {
    return prepareSource(config, true);
  }

  /**
   * Like {@link #prepareSource(BackfillConfig)}; a table with neither a key in the spec nor a
   * primary key is refused when {@code keyRequired}, else read as one range without a key
   * ({@link SourceRelation#unkeyedTable}), which only a profile does.
   */
  public static JobPlan prepareSource(BackfillConfig config, boolean keyRequired)
      throws SQLException {
    if (config.mongo.source != null) {
      return MongoBackfill.prepareSource(config);
    }
    Layout sourceLayout;
    SourceRelation relation;
    Dialect dialect = config.source.dialect();
    try (Connection c = config.source.connect(JdbcEndpoint.Role.SOURCE)) {
      String from = config.sourceQuery != null
          ? SourceRelation.query(config.sourceQuery, List.of("-")).fromClause(dialect)
          : dialect.quoteQualified(config.sourceTable);
      try {
        sourceLayout = Describe.relation(c, from);
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
      relation = config.sourceQuery != null ? SourceRelation.query(config.sourceQuery, key)
          : key.isEmpty() ? SourceRelation.unkeyedTable(config.sourceTable)
          : SourceRelation.table(config.sourceTable, key);
    }
    for (String k : relation.keyColumns()) {
      if (!sourceLayout.has(k)) {
        throw new SpecException(config.origin, "source.key", "no column '" + k + "' in "
            + relation.displayName() + " (columns: " + sourceLayout.names() + ")");
      }
    }
    if (config.sinceColumn != null && !sourceLayout.has(config.sinceColumn)) {
      throw new SpecException(config.origin, "since.column", "no column '"
          + config.sinceColumn + "' in " + relation.displayName());
    }
    try {
      return JobPlan.of(new JobSource.Relation(relation), sourceLayout, RecordMapper.compile(
          TargetNaming.apply(config.mapping, sourceLayout, config.naming), sourceLayout));
    } catch (IllegalArgumentException e) {
      throw new SpecException(config.origin, "mapping", e.getMessage());
    }
  }

  /** The target table lined up with the mapping's output, keyed as configured or as the source. */
  public static TargetTable describeTarget(BackfillConfig config, JobPlan p)
      throws SQLException {
    try {
      return TargetTable.describe(config.target, config.targetTable,
          p.outputLayout().names(), targetKey(config, p));
    } catch (IllegalArgumentException e) {
      throw new SpecException(config.origin, "target.table", e.getMessage());
    }
  }

  /** The target key as configured, or the target columns the mapping carries the key to. */
  public static List<String> targetKey(BackfillConfig config, JobPlan p) {
    if (!config.targetKey.isEmpty()) {
      return config.targetKey;
    }
    List<String> targetKey = new ArrayList<>();
    for (String k : p.sourceKeyColumns()) {
      String out = p.mapper().outputFor(k);
      if (out == null) {
        throw new SpecException(config.origin, "target.key", "required: the mapping does"
            + " not carry source key column '" + k + "' to a single target column");
      }
      targetKey.add(out);
    }
    return targetKey;
  }
}
