package dev.ferry.pipelines.backfill;

import static dev.ferry.pipelines.backfill.SpecSides.first;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.MappingSpec;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.pipelines.job.RunnerTraits;
import dev.ferry.pipelines.mongo.MongoSides;
import dev.ferry.pipelines.spec.JobSpec;
import dev.ferry.pipelines.spec.QualifiedName;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.schema.Naming;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A backfill's settings after the spec and the flags were merged and checked: everything typed,
 * secrets resolved, nothing left to parse. Built at the edge, before any pipeline exists, so an
 * invalid spec fails naming the file, the field and the reason.
 */
public final class BackfillConfig {
  private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,200}");

  public final String origin;
  public final String job;
  /** The JDBC source; null when the source is MongoDB ({@link #mongo}). */
  public final JdbcEndpoint source;
  public final List<String> sourceTable;
  public final String sourceQuery;
  public final List<String> sourceKey;
  public final boolean zeroDatesAsNull;
  /** The runner queues step outputs in memory: readers wait for writers ({@link RunnerTraits}). */
  public final boolean stepOutputsInMemory;
  /** The JDBC target; null when the target is MongoDB ({@link #mongo}). */
  public final JdbcEndpoint target;
  public final List<String> targetTable;
  /** The MongoDB sides; both null when source and target are JDBC. */
  public final MongoSides mongo;
  public final List<String> targetKey;
  public final List<String> stateSchema;
  /** Whether to create the target table when it is missing ({@code target.create}). */
  public final boolean createTarget;
  /** How the mapping's output columns are spelled in the target ({@code target.naming}). */
  public final Naming naming;
  public final MappingSpec mapping;
  public final int partitions;
  public final int batchSize;
  public final double maxRowsPerSecond;
  public final long maxDeadLetters;
  public final String sinceColumn;
  public final String since;
  /** Seconds the watermark is set back before the source's oldest open transaction. */
  public final int sinceMarginSeconds;
  public final String deadLetterFile;
  public final String summaryFile;
  public final boolean restart;
  public final int progressIntervalSeconds;
  /** The spec's {@code fill.columns} (for {@code ferry fill}); empty when not given. */
  public final List<String> fillColumns;

  private BackfillConfig(Builder b) {
    this.origin = b.origin;
    this.job = b.job;
    this.source = b.source;
    this.sourceTable = b.sourceTable;
    this.sourceQuery = b.sourceQuery;
    this.sourceKey = b.sourceKey;
    this.zeroDatesAsNull = b.zeroDatesAsNull;
    this.stepOutputsInMemory = b.stepOutputsInMemory;
    this.target = b.target;
    this.targetTable = b.targetTable;
    this.mongo = b.mongo;
    this.targetKey = b.targetKey;
    this.stateSchema = b.stateSchema;
    this.createTarget = b.createTarget;
    this.naming = b.naming;
    this.mapping = b.mapping;
    this.partitions = b.partitions;
    this.batchSize = b.batchSize;
    this.maxRowsPerSecond = b.maxRowsPerSecond;
    this.maxDeadLetters = b.maxDeadLetters;
    this.sinceColumn = b.sinceColumn;
    this.since = b.since;
    this.sinceMarginSeconds = b.sinceMarginSeconds;
    this.deadLetterFile = b.deadLetterFile;
    this.summaryFile = b.summaryFile;
    this.restart = b.restart;
    this.progressIntervalSeconds = b.progressIntervalSeconds;
    this.fillColumns = b.fillColumns;
  }

  private static final class Builder {
    String origin;
    String job;
    JdbcEndpoint source;
    List<String> sourceTable;
    String sourceQuery;
    List<String> sourceKey;
    boolean zeroDatesAsNull;
    boolean stepOutputsInMemory;
    JdbcEndpoint target;
    List<String> targetTable;
    MongoSides mongo;
    List<String> targetKey;
    List<String> stateSchema;
    boolean createTarget;
    Naming naming;
    MappingSpec mapping;
    int partitions;
    int batchSize;
    double maxRowsPerSecond;
    long maxDeadLetters;
    String sinceColumn;
    String since;
    int sinceMarginSeconds;
    String deadLetterFile;
    String summaryFile;
    boolean restart;
    int progressIntervalSeconds;
    List<String> fillColumns;
  }

  /** Reads the spec named by the options (if any) and applies the flags over it. */
  public static BackfillConfig from(BackfillOptions options, Secrets secrets) {
    return from(options, secrets, true, false, false, false);
  }

  /** Like {@link #from}, for the backfill job, which also reads and writes MongoDB. */
  public static BackfillConfig fromAllowingMongo(BackfillOptions options, Secrets secrets) {
    return from(options, secrets, true, false, true, false);
  }

  /**
   * Like {@link #fromAllowingMongo}, for the reconcile job, which only reads and so needs no job
   * name of its own: without one in the flags, the spec or the mapping file's header, it is
   * {@code reconcile-<table>}.
   */
  public static BackfillConfig forReconcile(BackfillOptions options, Secrets secrets) {
    return from(options, secrets, true, false, true, true);
  }

  /**
   * Like {@link #from}, for jobs that read the source and look at a target only when one is
   * named (profile, which also reads MongoDB): without a target URL in the spec or the flags,
   * {@link #target} and {@link #targetTable} are null.
   */
  public static BackfillConfig fromWithOptionalTarget(BackfillOptions options, Secrets secrets) {
    return from(options, secrets, false, false, true, false);
  }

  /**
   * Like {@link #from}, for jobs that write into the table or collection they read (ferry
   * fill): without a target URL, the target is the source's endpoint and table or collection.
   */
  public static BackfillConfig fromWithTargetDefaultingToSource(BackfillOptions options,
      Secrets secrets) {
    return from(options, secrets, false, true, true, false);
  }

  private static BackfillConfig from(BackfillOptions options, Secrets secrets,
      boolean targetRequired, boolean targetDefaultsToSource, boolean mongoAllowed,
      boolean jobDerived) {
    JobSpec spec;
    String origin;
    Path specDir;
    if (options.getSpec() != null) {
      Path file = Path.of(options.getSpec());
      origin = file.toString();
      specDir = file.toAbsolutePath().getParent();
      spec = SpecSides.readSpec(file);
    } else {
      origin = "flags";
      specDir = Path.of("").toAbsolutePath();
      spec = new JobSpec();
    }
    if (spec.source == null) {
      spec.source = new JobSpec.Endpoint();
    }
    if (spec.target == null) {
      spec.target = new JobSpec.Endpoint();
    }
    Builder b = new Builder();
    b.origin = origin;
    MappingFile mappingFile = MappingFile.resolve(origin, specDir, options.getMappingFile(),
        spec.mapping);
    MappingFile.Header header = mappingFile.header;
    b.mapping = mappingFile.rules;
    b.job = first(options.getJob(), spec.job, header.job);
    boolean hasTarget = targetRequired || first(options.getTargetUrl(), spec.target.url) != null;
    boolean mongoSource = SpecSides.isMongo(origin, "source", options.getSourceUrl(), spec.source,
        mongoAllowed);
    boolean mongoTarget = hasTarget ? SpecSides.isMongo(origin, "target", options.getTargetUrl(),
        spec.target, mongoAllowed) : targetDefaultsToSource && mongoSource;
    String[] sourceSide = SpecSides.endpointParts(origin, "source", spec.source, options.getSourceUrl(),
        options.getSourceUser(), options.getSourcePasswordEnv(), options.getSourcePasswordFile(),
        secrets);
    String[] targetSide = !hasTarget ? null : SpecSides.endpointParts(origin, "target", spec.target,
        options.getTargetUrl(), options.getTargetUser(), options.getTargetPasswordEnv(),
        options.getTargetPasswordFile(), secrets);
    b.source = mongoSource ? null : SpecSides.jdbcEndpoint(origin, "source", sourceSide, spec.source,
        options);
    b.target = !hasTarget || mongoTarget ? null : SpecSides.jdbcEndpoint(origin, "target", targetSide,
        spec.target, options);
    String table = first(options.getSourceTable(), spec.source.table);
    b.sourceQuery = first(options.getSourceQuery(), spec.source.query);
    b.sourceKey = options.getSourceKey() != null ? list(options.getSourceKey()) : spec.source.key;
    if (b.sourceQuery == null && header.source.reads(origin, table)) {
      // The header's table, read as the migration read it: through its query when it has one.
      table = header.source.query == null ? header.source.table : null;
      b.sourceQuery = header.source.query;
      b.sourceKey = b.sourceKey.isEmpty() ? header.source.key : b.sourceKey;
    }
    MongoEndpoint mongoSourceEndpoint = mongoSource ? SpecSides.mongoEndpoint(origin, "source", sourceSide)
        : null;
    b.mongo = MongoSides.from(origin, spec, mongoFlags(options), mongoSourceEndpoint,
        b.sourceKey, !mongoTarget ? null : hasTarget ? SpecSides.mongoEndpoint(origin, "target", targetSide)
            : mongoSourceEndpoint, table);
    if (table == null && b.sourceQuery == null && !mongoSource) {
      throw new SpecException(origin, "source.table", "required (or source.query)");
    }
    if (table != null && b.sourceQuery != null) {
      throw new SpecException(origin, "source", "give either table or query, not both");
    }
    b.sourceTable = table == null ? null : name(origin, "source.table", table);
    if (b.sourceQuery != null && b.sourceKey.isEmpty()) {
      throw new SpecException(origin, "source.key", "required when reading a query");
    }
    String zeroDates = first(options.getZeroDates(), spec.source.zeroDates,
        header.source.zeroDates, "reject");
    if (!zeroDates.equals("reject") && !zeroDates.equals("null")) {
      throw new SpecException(origin, "source.zeroDates", "must be reject or null, not '"
          + zeroDates + "'");
    }
    b.zeroDatesAsNull = zeroDates.equals("null");
    b.stepOutputsInMemory = RunnerTraits.queuesStepOutputsInMemory(options);
    String namingText = first(options.getNaming(), spec.target.naming, "preserve");
    try {
      b.naming = Naming.fromFlag(namingText);
    } catch (IllegalArgumentException e) {
      throw new SpecException(origin, "target.naming", e.getMessage());
    }
    if (b.naming != Naming.PRESERVE && mongoSource) {
      throw new SpecException(origin, "target.naming", "applies to a JDBC source's columns;"
          + " name a MongoDB source's fields in the mapping");
    }
    String targetTable = first(options.getTargetTable(), spec.target.table, header.target.table);
    if (!hasTarget && targetDefaultsToSource) {
      b.target = b.source;
      b.targetTable = targetTable == null ? b.sourceTable : name(origin, "target.table",
          targetTable);
    } else if (!hasTarget || mongoTarget) {
      b.targetTable = null;
    } else if (targetTable == null && mongoSource) {
      b.targetTable = List.of(b.mongo.source.collectionName());
    } else if (targetTable == null) {
      if (b.sourceTable == null) {
        throw new SpecException(origin, "target.table", "required when reading a query");
      }
      targetTable = b.naming.apply(b.sourceTable.get(b.sourceTable.size() - 1));
      b.targetTable = List.of(targetTable);
    } else {
      b.targetTable = name(origin, "target.table", targetTable);
    }
    b.targetKey = options.getTargetKey() != null ? list(options.getTargetKey()) : spec.target.key;
    String stateSchema = first(options.getStateSchema(), spec.target.stateSchema,
        header.target.stateSchema);
    b.stateSchema = stateSchema == null ? List.of() : name(origin, "target.stateSchema",
        stateSchema);
    b.createTarget = options.getCreateTarget() || Boolean.TRUE.equals(spec.target.create);
    if (b.createTarget) {
      checkCreatable(origin, b);
    }
    b.partitions = positive(origin, "partitions", first(options.getPartitions(), spec.partitions,
        16));
    b.batchSize = positive(origin, "batchSize", first(options.getBatchSize(), spec.batchSize,
        1000));
    b.maxRowsPerSecond = first(options.getMaxRowsPerSecond(), spec.maxRowsPerSecond, 0.0);
    if (b.maxRowsPerSecond < 0) {
      throw new SpecException(origin, "maxRowsPerSecond", "must not be negative");
    }
    b.maxDeadLetters = first(options.getMaxDeadLetters(), spec.maxDeadLetters, 0L);
    if (b.maxDeadLetters < 0) {
      throw new SpecException(origin, "maxDeadLetters", "must not be negative");
    }
    JobSpec.Since since = spec.since == null ? new JobSpec.Since() : spec.since;
    b.sinceColumn = first(options.getSinceColumn(), since.column);
    b.since = first(options.getSince(), since.value);
    b.sinceMarginSeconds = first(options.getSinceMarginSeconds(), since.marginSeconds, 60);
    if (b.sinceMarginSeconds < 0) {
      throw new SpecException(origin, "since.marginSeconds", "must not be negative, got "
          + b.sinceMarginSeconds);
    }
    if (b.since != null && b.sinceColumn == null) {
      throw new SpecException(origin, "since.column", "required when since.value is given");
    }
    if (b.sinceColumn != null && mongoSource) {
      throw new SpecException(origin, "since", "catch-up runs are not supported for a MongoDB"
          + " source yet; run the backfill again (its upserts leave unchanged documents as"
          + " they are)");
    }
    b.deadLetterFile = first(options.getDeadLetterFile(), spec.deadLetterFile);
    b.summaryFile = first(options.getSummaryFile(), spec.summaryFile);
    b.restart = options.getRestart();
    b.progressIntervalSeconds = Math.max(1, options.getProgressIntervalSeconds());
    b.fillColumns = spec.fill == null ? List.of() : List.copyOf(spec.fill.columns);
    b.job = job(origin, b, jobDerived);
    return new BackfillConfig(b);
  }

  private static String job(String origin, Builder b, boolean derived) {
    String job = b.job;
    if (job == null && derived) {
      List<String> named = b.sourceTable != null ? b.sourceTable : b.targetTable;
      String base = named == null ? "query" : named.get(named.size() - 1);
      job = ("reconcile-" + base).replaceAll("[^A-Za-z0-9_.-]", "_");
      job = job.substring(0, Math.min(job.length(), 200));
    }
    if (job == null) {
      throw new SpecException(origin, "job", "required (a name such as orders-to-pg)");
    }
    if (!JOB_NAME.matcher(job).matches()) {
      throw new SpecException(origin, "job", "'" + job + "' may only contain letters, digits,"
          + " '_', '-' and '.' (at most 200)");
    }
    return job;
  }

  /** The schema translation reads the MySQL catalog of a table and writes PostgreSQL DDL. */
  private static void checkCreatable(String origin, Builder b) {
    if (b.source == null || b.source.dialect() != Dialect.MYSQL || b.sourceTable == null) {
      throw new SpecException(origin, "target.create", "needs a MySQL or MariaDB source table"
          + " (ferry types the new table from the source's catalog); create the target table"
          + " yourself for other sources and for source queries");
    }
    if (b.target == null || b.target.dialect() != Dialect.POSTGRESQL) {
      throw new SpecException(origin, "target.create", "needs a PostgreSQL target");
    }
  }

  private static MongoSides.Flags mongoFlags(BackfillOptions options) {
    MongoSides.Flags f = new MongoSides.Flags();
    f.sourceCollection = options.getSourceCollection();
    f.sourceFilter = options.getSourceFilter();
    f.sourceProjection = options.getSourceProjection();
    f.sourceFields = options.getSourceFields() == null ? null : list(options.getSourceFields());
    f.targetCollection = options.getTargetCollection();
    return f;
  }

  /** The source for messages and summaries, secrets removed. */
  public String sourceName() {
    return source != null ? source.toString() : mongo.source.endpoint().toString();
  }

  /** The target for messages and summaries, secrets removed. */
  public String targetName() {
    return target != null ? target.toString() : mongo.targetEndpoint.toString();
  }

  /** Text with the secrets of both sides removed. */
  public String redact(String text) {
    String t = source != null ? source.redact(text) : mongo.source.endpoint().redact(text);
    if (target != null) {
      return target.redact(t);
    }
    return mongo.targetEndpoint != null ? mongo.targetEndpoint.redact(t) : t;
  }

  private static List<String> name(String origin, String field, String text) {
    try {
      return QualifiedName.parse(text);
    } catch (IllegalArgumentException e) {
      throw new SpecException(origin, field, e.getMessage());
    }
  }

  private static int positive(String origin, String field, int value) {
    if (value < 1) {
      throw new SpecException(origin, field, "must be at least 1, got " + value);
    }
    return value;
  }

  private static List<String> list(String commaSeparated) {
    List<String> out = new ArrayList<>();
    for (String s : Arrays.asList(commaSeparated.split(","))) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
