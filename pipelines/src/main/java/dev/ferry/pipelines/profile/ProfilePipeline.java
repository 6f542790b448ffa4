package dev.ferry.pipelines.profile;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.MongoBackfill;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.job.JobMain;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.KeyRangePlanner;
import dev.ferry.profile.FindingKind;
import dev.ferry.profile.GrowthWindow;
import dev.ferry.profile.ProfileRows;
import dev.ferry.profile.TableCatalog;
import dev.ferry.profile.TableProfile;
import dev.ferry.profile.TargetFit;
import dev.ferry.read.RangeTask;
import dev.ferry.read.SpreadRanges;
import dev.ferry.read.ReadRanges;
import dev.ferry.record.Chunk;
import dev.ferry.record.Layout;
import dev.ferry.write.TargetTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profile job: reads a source table or query in key ranges, as the backfill would, and
 * reports per column NULLs, distinct values, min/max and lengths, the table's size and growth
 * from the catalog, and the findings a migration must plan for (see {@link ProfileRows}). When
 * the spec names a target table that exists, it also reports the values that will not fit it.
 *
 * <pre>
 * java -cp ferry-direct.jar dev.ferry.pipelines.profile.ProfilePipeline --spec=job.yaml \
 *     --report=profile.json
 * </pre>
 *
 * <p>Findings are the point of a profile, so they never fail it (exit 0); a spec, connection or
 * pipeline error does (exit 2 or 1). Only reads the source; the target is only described.
 */
public final class ProfilePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ProfilePipeline.class);

  private ProfilePipeline() {}

  public static void main(String[] args) {
    System.exit(run(args).exitCode);
  }

  /** Parses flags, runs, prints the report; never throws for a failed run (see exit code). */
  public static ProfileReport run(String[] args) {
    return JobMain.run(args, ProfileOptions.class, ProfilePipeline::run, message -> {
      ProfileReport report = new ProfileReport();
      fail(report, ExitCodes.INVALID, "invalid", "flags: " + message);
      return finish(report, null, System.nanoTime());
    });
  }

  public static ProfileReport run(ProfileOptions options, Secrets secrets) {
    long start = System.nanoTime();
    ProfileReport report = new ProfileReport();
    report.job = options.getJob();
    BackfillConfig config = null;
    try {
      config = BackfillConfig.fromWithOptionalTarget(options, secrets);
      report.job = config.job;
      report.source = config.sourceName();
      checkOptions(config, options);
      profile(options, config, report);
      report.status = "succeeded";
      report.exitCode = ExitCodes.OK;
    } catch (SpecException e) {
      fail(report, ExitCodes.INVALID, "invalid", e.getMessage());
    } catch (Exception e) {
      fail(report, ExitCodes.forFailure(e), "failed", config == null ? e.getMessage()
          : config.redact(Failures.describe(e)));
    }
    return finish(report, options.getReport(), start);
  }

  private static void checkOptions(BackfillConfig config, ProfileOptions options) {
    if (options.getLargeValueBytes() < 1) {
      throw new SpecException(config.origin, "largeValueBytes", "must be at least 1, got "
          + options.getLargeValueBytes());
    }
    if (options.getExampleKeys() < 0 || options.getExampleKeys() > 1000) {
      throw new SpecException(config.origin, "exampleKeys", "must be between 0 and 1000, got "
          + options.getExampleKeys());
    }
  }

  private static void fail(ProfileReport report, int exitCode, String status, String error) {
    report.status = status;
    report.exitCode = exitCode;
    report.error = error;
  }

  private static ProfileReport finish(ProfileReport report, String reportFile, long start) {
    report.seconds = (System.nanoTime() - start) / 1e9;
    report.print(report.exitCode, reportFile, LOG);
    return report;
  }

  private static void profile(ProfileOptions options, BackfillConfig config,
      ProfileReport report) throws Exception {
    JobPlan p = BackfillPipeline.prepareSource(config, false);
    if (p.readsCollection()) {
      profileCollection(options, config, p, report);
      return;
    }
    report.relation = p.relation().displayName();
    report.key = p.relation().keyColumns();
    TargetFit fit = targetFit(config, p, report);
    String createdAt = createdAtColumn(options, config, p.sourceLayout(), report);
    List<RangeTask> tasks = new ArrayList<>();
    boolean keyUnique = false;
    GrowthWindow growth = null;
    String encoding = null;
    Map<String, String> declaredTypes = Map.of();
    try (Connection c = config.source.connect(JdbcEndpoint.Role.SOURCE)) {
      c.setReadOnly(true);
      encoding = TableCatalog.serverEncoding(c, config.source.dialect());
      if (p.relation().keyColumns().isEmpty()) {
        // No key to split by or look rows up by: one scan of the whole table.
        tasks.add(RangeTask.fresh(KeyRange.ofNullKeys(0, 0)));
        report.notes.add("key: the table has no primary key, so it was read in one scan (no key"
            + " ranges); duplicate and NULL keys were not checked and findings name no rows");
      } else {
        for (KeyRange r : new KeyRangePlanner(config.source.dialect(), p.relation(),
            config.partitions).plan(c)) {
          tasks.add(RangeTask.fresh(r));
        }
      }
      if (p.relation().isQuery()) {
        report.notes.add("table size: a query has no size of its own");
      } else {
        declaredTypes = TableCatalog.declaredTypes(c, config.source.dialect(),
            p.relation().tableName());
        OptionalLong bytes = TableCatalog.tableBytes(c, config.source.dialect(),
            p.relation().tableName());
        report.tableBytes = bytes.isPresent() ? bytes.getAsLong() : null;
        Optional<String> unique = p.relation().keyColumns().isEmpty() ? Optional.empty()
            : TableCatalog.uniqueKeyConstraint(c, config.source.dialect(),
                p.relation().tableName(), p.relation().keyColumns());
        if (unique.isPresent()) {
          keyUnique = true;
          report.notes.add("duplicate keys: none possible, " + unique.get()
              + " keeps the key unique; not searched");
        }
      }
      if (createdAt != null) {
        growth = TableCatalog.growthWindow(c, config.source.dialect(), createdAt);
      }
    }
    ProfileRows profileRows = ProfileRows.of(p.sourceLayout(), p.relation().keyColumns())
        .withLargeValueBytes(options.getLargeValueBytes())
        .withExampleKeys(options.getExampleKeys())
        .withKeyUnique(keyUnique);
    if (fit != null) {
      profileRows = profileRows.withTargetFit(fit);
    }
    if (growth != null) {
      profileRows = profileRows.withGrowth(growth);
    }
    boolean copy = byCopy(options, config, profileRows, encoding, report);
    report.profile = runPipeline(options, config, p, tasks, profileRows, copy);
    report.growth = report.profile.growth;
    List<String> key = p.relation().keyColumns();
    boolean unique = keyUnique
        || report.profile.finding(FindingKind.DUPLICATE_KEY, null) == null;
    report.profile = report.profile.withCatalogFacts(declaredTypes,
        key.size() == 1 && unique ? key.get(0) : null);
  }

  /**
   * Whether the table is read with COPY rather than JDBC result sets: the same profile for less
   * CPU, where {@link ProfileRows#copyUnsupportedReason} allows it and the server's encoding is
   * UTF-8 (COPY text is then the driver's text). A throttled read keeps the reader that
   * throttles.
   */
  private static boolean byCopy(ProfileOptions options, BackfillConfig config,
      ProfileRows profileRows, String encoding, ProfileReport report) {
    String why = options.getReadByJdbc() ? "--readByJdbc"
        : config.maxRowsPerSecond > 0 ? "maxRowsPerSecond throttles the reader"
        : profileRows.copyUnsupportedReason(config.source.dialect());
    if (why == null && !"UTF8".equals(encoding)) {
      why = "the server's encoding is " + encoding + ", not UTF8";
    }
    report.notes.add(why == null ? "read: by COPY" : "read: through JDBC (COPY not used: "
        + why + ")");
    return why == null;
  }

  /** The target check, or null with a note when no target is named or it does not exist yet. */
  private static TargetFit targetFit(BackfillConfig config, JobPlan p,
      ProfileReport report) throws SQLException {
    if (config.target == null) {
      report.notes.add("target fit: no target named, values were not checked against one");
      return null;
    }
    TargetTable table;
    try {
      table = BackfillPipeline.describeTarget(config, p);
    } catch (SQLException e) {
      if (!Failures.isMissingTable(e)) {
        throw e;
      }
      report.notes.add("target fit: target table " + String.join(".", config.targetTable)
          + " does not exist at " + config.target + " yet; values were not checked");
      return null;
    }
    report.target = table.displayName() + " at " + config.target;
    TargetFit fit = TargetFit.of(p.mapper(), table, config.source.dialect(),
        config.target.dialect());
    List<String> fitByType = fit.fitByType();
    if (!fitByType.isEmpty()) {
      report.notes.add("target fit: " + String.join(", ", fitByType) + " fit by type (the"
          + " same type and size on PostgreSQL, copied as is); their values were not checked one"
          + " by one");
    }
    return fit;
  }

  private static String createdAtColumn(ProfileOptions options, BackfillConfig config,
      Layout layout, ProfileReport report) {
    String column = options.getCreatedAtColumn();
    if (column == null) {
      column = TableCatalog.detectCreatedAt(layout);
      if (column == null) {
        report.notes.add("growth: no created-at column found; name one with --createdAtColumn");
      }
      return column;
    }
    if (!layout.has(column)) {
      throw new SpecException(config.origin, "createdAtColumn", "no column '" + column
          + "' in the source (columns: " + layout.names() + ")");
    }
    if (!TableCatalog.isTemporal(layout.column(layout.indexOf(column)))) {
      throw new SpecException(config.origin, "createdAtColumn", "column '" + column
          + "' is not a date or timestamp");
    }
    return column;
  }

  /**
   * A MongoDB source: the same profile of its rows (columns as read: top-level fields or the
   * given paths). A collection has no table size or growth query; {@code _id} is unique.
   */
  private static void profileCollection(ProfileOptions options, BackfillConfig config,
      JobPlan p, ProfileReport report) throws Exception {
    report.relation = p.sourceName();
    report.key = p.sourceKeyColumns();
    TargetFit fit = config.target == null ? null : targetFit(config, p, report);
    report.notes.add("table size and growth: not measured for a MongoDB collection");
    boolean keyUnique = p.collection().key().equals("_id");
    if (keyUnique) {
      report.notes.add("duplicate keys: none possible, _id is unique; not searched");
    }
    List<RangeTask> tasks = new ArrayList<>();
    for (KeyRange r : MongoBackfill.plan(p.collection(), config.partitions)) {
      tasks.add(RangeTask.fresh(r));
    }
    ProfileRows profileRows = ProfileRows.of(p.sourceLayout(), p.sourceKeyColumns())
        .withLargeValueBytes(options.getLargeValueBytes())
        .withExampleKeys(options.getExampleKeys())
        .withKeyUnique(keyUnique);
    if (fit != null) {
      profileRows = profileRows.withTargetFit(fit);
    }
    report.profile = runPipeline(options, config, p, tasks, profileRows, false);
  }

  private static TableProfile runPipeline(ProfileOptions options, BackfillConfig config,
      JobPlan p, List<RangeTask> tasks, ProfileRows profileRows,
      boolean copy) throws IOException {
    String step = "Table." + p.sourceName().replaceAll("[^A-Za-z0-9_.]", "_");
    ResourceId result = resultFile(options);
    Pipeline pipeline = Pipeline.create(options);
    PCollection<RangeTask> ranges = pipeline.apply(step + ".Ranges", SpreadRanges.of(tasks));
    PCollection<TableProfile> profile = copy
        ? ranges.apply(step + ".CopyAndProfile", profileRows.viaPostgresCopy(config.source,
            p.relation()))
        : ranges.apply(step + ".Read", read(config, p)).apply(step + ".Profile", profileRows);
    profile.apply(step + ".Save", ParDo.of(new SaveProfileFn(result.toString())));
    LOG.info("{}: profiling {} in {} ranges", config.job, p.sourceName(),
        tasks.size());
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the profile pipeline ended " + state);
    }
    try {
      return SaveProfileFn.load(result.toString());
    } finally {
      FileSystems.delete(List.of(result));
    }
  }

  private static PTransform<PCollection<RangeTask>, PCollection<Chunk>> read(
      BackfillConfig config, JobPlan p) {
    if (p.readsCollection()) {
      return MongoBackfill.read(p.collection(), config);
    }
    // Zero dates stay rejected by the reader: that is how the profile counts them, with keys.
    ReadRanges jdbc = ReadRanges.from(config.source, p.relation(), p.sourceLayout())
        .withChunkSize(config.batchSize).withBackpressure(config.stepOutputsInMemory);
    return config.maxRowsPerSecond > 0
        ? jdbc.withMaxRowsPerSecond(config.maxRowsPerSecond, config.job) : jdbc;
  }

  /** Where the pipeline leaves the profile: the runner's temp location, else a local file. */
  private static ResourceId resultFile(ProfileOptions options) throws IOException {
    String name = "ferry-profile-" + UUID.randomUUID() + ".bin";
    if (options.getTempLocation() != null) {
      return FileSystems.matchNewResource(options.getTempLocation(), true)
          .resolve(name, ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
    }
    Path dir = Files.createTempDirectory("ferry-profile");
    dir.toFile().deleteOnExit();
    return FileSystems.matchNewResource(dir.resolve(name).toString(), false);
  }
}
