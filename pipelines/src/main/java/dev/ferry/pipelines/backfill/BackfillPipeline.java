package dev.ferry.pipelines.backfill;

import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.MapChunks;
import dev.ferry.map.RecordMapper;
import dev.ferry.mongo.CollectionSource;
import dev.ferry.mongo.CollectionTarget;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.job.JobMain;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.plan.SourceRelation;
import dev.ferry.read.RangeTask;
import dev.ferry.read.ReadRanges;
import dev.ferry.record.Chunk;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.write.CopyPassThrough;
import dev.ferry.write.RowStatement;
import dev.ferry.write.TargetTable;
import dev.ferry.write.WriteChunks;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** Checks source and target and sets up the steps; see {@link Prepared}. */
    Prepared prepare(BackfillConfig config) throws SQLException;
  }

  /** The backfill itself: copy the source table into the target with upserts. */
  static final Variant COPY = new Variant() {
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
    return new BackfillRun(options, config, variant).execute();
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
    s.exitCode = ExitCodes.INVALID;
    s.error = message;
    LOG.error("invalid job spec: {}", message);
    return s;
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
