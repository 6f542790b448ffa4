package dev.ferry.pipelines.reconcile;

import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.job.JobMain;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.reconcile.BucketComparison;
import dev.ferry.reconcile.LocalBucketJoin;
import dev.ferry.reconcile.Reconcile;
import dev.ferry.reconcile.ReconcileSample;
import dev.ferry.reconcile.SampleKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile job: proves the target holds exactly what the backfill should have written, or
 * names every key where it does not. Reads the backfill's spec, compares both sides key by key
 * ({@link Reconcile}, or {@link ReconcileSample} with {@code --sample}), prints a summary, writes
 * a JSON report and the complete list of differing keys, and optionally repairs.
 *
 * <pre>
 * java -cp ferry-direct.jar dev.ferry.pipelines.reconcile.ReconcilePipeline --spec=job.yaml \
 *     --fastPath --report=reconcile.json
 * </pre>
 *
 * Exit codes ({@link ExitCodes}): 0 no differences beyond the tolerance, 1 failed, 2 invalid
 * spec or flags, 4 differences beyond the tolerance, 5 a database refused the login.
 */
public final class ReconcilePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcilePipeline.class);

  private ReconcilePipeline() {}

  public static void main(String[] args) {
    System.exit(run(args).exitCode);
  }

  /** Parses flags, runs, prints the summary; never throws for a failed run (see exit code). */
  public static ReconcileReport run(String[] args) {
    return JobMain.run(args, ReconcileOptions.class, ReconcilePipeline::run, message -> {
      ReconcileReport report = new ReconcileReport();
      invalid(report, message);
      LOG.error(report.toConsole());
      return report;
    });
  }

  public static ReconcileReport run(ReconcileOptions options, Secrets secrets) {
    long start = System.nanoTime();
    ReconcileReport report = new ReconcileReport();
    report.job = options.getJob();
    BackfillConfig config = null;
    ReconcileSettings settings = null;
    try {
      config = BackfillConfig.forReconcile(options, secrets);
      report.job = config.job;
      settings = ReconcileSettings.from(options);
      if (config.source == null || config.target == null) {
        new MongoReconcile(options, config, settings, report).execute();
      } else {
        new Run(options, config, settings, report).execute();
      }
    } catch (SpecException e) {
      invalid(report, e.getMessage());
    } catch (Exception e) {
      report.status = "failed";
      report.exitCode = ExitCodes.forFailure(e);
      report.error = describe(e, config);
    }
    report.seconds = (System.nanoTime() - start) / 1e9;
    finish(report, settings);
    return report;
  }

  private static void invalid(ReconcileReport report, String message) {
    report.status = "invalid";
    report.exitCode = ExitCodes.INVALID;
    report.error = message;
  }

  private static String describe(Throwable e, BackfillConfig config) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !sb.toString().contains(t.getMessage())) {
        sb.append(sb.length() == 0 ? "" : " <- ").append(t.getMessage());
      }
    }
    String text = sb.length() == 0 ? e.getClass().getName() : sb.toString();
    return config == null ? text : config.redact(text);
  }

  private static void finish(ReconcileReport report, ReconcileSettings settings) {
    if (report.exitCode == ExitCodes.OK) {
      LOG.info(report.toConsole());
    } else {
      LOG.error(report.toConsole());
    }
    if (settings != null && settings.reportFile != null) {
      try {
        report.writeTo(settings.reportFile);
      } catch (IOException e) {
        LOG.error("cannot write report {}: {}", settings.reportFile, e.getMessage());
      }
    }
  }

  /** One execution of a configured reconcile. */
  private static final class Run {
    private final ReconcileOptions options;
    private final BackfillConfig config;
    private final ReconcileSettings settings;
    private final ReconcileReport report;
    private final String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + UUID.randomUUID().toString()
        .substring(0, 8);

    Run(ReconcileOptions options, BackfillConfig config, ReconcileSettings settings,
        ReconcileReport report) {
      this.options = options;
      this.config = config;
      this.settings = settings;
      this.report = report;
    }

    void execute() throws Exception {
      String started = Elapsed.sinceJvmStart();
      Elapsed prepare = Elapsed.start();
      try (ReconcileSetup setup = ReconcileSetup.prepare(config, settings)) {
        LOG.info("{}: prepared in {} (JVM up {} before): {} key ranges, {}", config.job, prepare,
            started, setup.ranges.size(), setup.pushdown);
        execute(setup);
      }
    }

    private void execute(ReconcileSetup setup) throws Exception {
      for (String column : settings.sensitiveColumns) {
        if (!setup.canonicalizer.layout().has(column)) {
          throw new SpecException("flags", "sensitiveColumns", "no compared column '" + column
              + "' (compared: " + setup.canonicalizer.columnNames() + ")");
        }
      }
      describeSides(setup);
      Long notCopied = settings.sample == null ? NothingCopied.sourceRows(setup) : null;
      if (notCopied != null) {
        NothingCopied.report(report, notCopied, setup.target.displayName());
        return;
      }
      BucketComparison buckets = null;
      if (settings.sample == null) {
        describeMethod(setup);
        buckets = compareBuckets(setup);
      }
      Path work = Files.createTempDirectory("ferry-reconcile-");
      try {
        ResultFiles.Results results;
        if (buckets != null && buckets.differing().isEmpty()) {
          // Every bucket's count and checksum agree: every row matches, none needs reading.
          results = new ResultFiles.Results();
          results.facts.putAll(buckets.facts());
        } else if (buckets != null && buckets.rowsToJoin() < settings.joinInLauncherBelow) {
          results = joinInLauncher(setup, buckets);
        } else {
          if (buckets != null) {
            report.fastPath.joinedIn = "pipeline";
            LOG.info("{}: {} rows in differing buckets, at least --joinInLauncherBelow={}: the"
                + " pipeline joins them", config.job, buckets.rowsToJoin(),
                settings.joinInLauncherBelow);
          }
          results = runPipeline(setup, buckets, work);
        }
        if (setup.checkBucketing != null) {
          ServerCheck check = new ServerCheck(setup, settings);
          check.apply(buckets != null ? buckets : check.checksums(), results, report,
              config.job);
        }
        Findings findings = DeadLetterMatch.read(config).apply(
            new Findings(results.differences, setup.canonicalizer), report);
        Verdict.summarize(report, settings, results.facts, findings);
        if (settings.differencesFile != null) {
          findings.writeDifferences(settings.differencesFile);
          report.differencesFile = settings.differencesFile;
        }
        if (settings.examples > 0 && !findings.all().isEmpty()) {
          report.examples = findings.examples(settings.examples, setup,
              settings.sensitiveColumns);
        }
        if (settings.repair || settings.repairSqlFile != null) {
          report.repair = new Repairs(config, settings, setup, findings).run(options, runId);
        }
      } finally {
        deleteQuietly(work);
      }
    }

    private ResultFiles.Results runPipeline(ReconcileSetup setup, BucketComparison buckets,
        Path work) throws Exception {
      String directory = options.getTempLocation() != null
          ? options.getTempLocation().replaceAll("/*$", "") + "/ferry-reconcile-" + runId
          : work.toString();
      ResultFiles files = new ResultFiles(directory);
      Elapsed build = Elapsed.start();
      Pipeline pipeline = Pipeline.create(options);
      PCollectionTuple result = pipeline.apply("Reconcile." + step(setup),
          settings.sample != null ? sample(setup) : comparison(setup, buckets));
      files.write(result, Reconcile.DIFFERENCES, Reconcile.FACTS);
      LOG.info("{}: comparing {} with {} ({}), pipeline built in {}", config.job,
          setup.relation.displayName(), setup.target.displayName(), report.method, build);
      Elapsed compare = Elapsed.start();
      pipeline.run().waitUntilFinish();
      LOG.info("{}: compared in {}", config.job, compare);
      return files.read();
    }

    /**
     * Joins the few rows of the differing buckets here, with the code the pipeline would run
     * for them ({@link LocalBucketJoin}): starting a pipeline costs more than such a join.
     */
    private ResultFiles.Results joinInLauncher(ReconcileSetup setup, BucketComparison buckets)
        throws Exception {
      Elapsed join = Elapsed.start();
      LocalBucketJoin.Result joined = LocalBucketJoin.join(setup.sourceSide, setup.targetSide,
          setup.canonicalizer, setup.pushdown, setup.bucketing, buckets, setup.sourceConnections,
          setup.targetConnections);
      report.fastPath.joinedIn = "launcher";
      LOG.info("{}: joined the {} rows of the differing buckets without a pipeline in {} (fewer"
          + " than --joinInLauncherBelow={}: a pipeline costs more to start than such a join)",
          config.job, buckets.rowsToJoin(), join, settings.joinInLauncherBelow);
      ResultFiles.Results results = new ResultFiles.Results();
      results.facts.putAll(joined.facts());
      results.differences.addAll(joined.differences());
      return results;
    }

    /**
     * The SQL fast path's bucket checksums, computed in both databases at once and compared
     * before any pipeline is built; null when there is no SQL fast path.
     */
    private BucketComparison compareBuckets(ReconcileSetup setup) throws SQLException {
      if (setup.bucketing == null || !setup.pushdown.available()) {
        return null;
      }
      Elapsed checksums = Elapsed.start();
      BucketComparison compared = BucketComparison.compute(setup.sourceSide, setup.targetSide,
          setup.pushdown, setup.bucketing, setup.ranges, setup.sourceConnections,
          setup.targetConnections, settings.checksumConnections);
      LOG.info("{}: checksummed both sides in {}: {}", config.job, checksums, compared);
      return compared;
    }

    private static String step(ReconcileSetup setup) {
      return setup.target.displayName().replaceAll("[^A-Za-z0-9_.]", "_");
    }

    private void describeSides(ReconcileSetup setup) {
      report.source = new ReconcileReport.Side();
      report.source.endpoint = config.source.toString();
      report.source.table = setup.relation.displayName();
      report.source.key = setup.relation.keyColumns();
      report.target = new ReconcileReport.Side();
      report.target.endpoint = config.target.toString();
      report.target.table = setup.target.displayName();
      report.target.key = setup.target.keyColumns();
      Map<String, Object> rules = new LinkedHashMap<>();
      rules.put("floatTolerance", settings.rules.floatTolerance());
      rules.put("timestampPrecision", settings.rules.timestampPrecision());
      rules.put("sourceZone", settings.rules.sourceZone().getId());
      rules.put("trimCharPadding", settings.rules.trimCharPadding());
      rules.put("compared", setup.canonicalizer.columnNames());
      if (!settings.sensitiveColumns.isEmpty()) {
        rules.put("masked", List.copyOf(settings.sensitiveColumns));
      }
      report.rules = rules;
      report.tolerance = settings.tolerance;
    }

    private Reconcile comparison(ReconcileSetup setup, BucketComparison buckets) {
      Reconcile reconcile = Reconcile.between(setup.sourceSide, setup.targetSide,
          setup.canonicalizer).overRanges(setup.ranges);
      if (setup.bucketing != null) {
        reconcile = reconcile.withFastPath(setup.bucketing, setup.pushdown);
        return buckets == null ? reconcile : reconcile.withComparedBuckets(buckets);
      }
      return setup.pushdown.nativeHashes() ? reconcile.withSqlRowHashes(setup.pushdown)
          : reconcile;
    }

    /** Records in the report how the comparison is made (sampling records its own). */
    private void describeMethod(ReconcileSetup setup) {
      if (setup.bucketing != null) {
        report.method = "fast-path";
        report.fastPath = new ReconcileReport.FastPath();
        report.fastPath.checksums = setup.pushdown.available() ? "sql" : "pipeline";
        report.fastPath.reason = setup.pushdown.problem();
        if (setup.pushdown.available()) {
          report.fastPath.rowHash = setup.pushdown.nativeHashes() ? "native" : "md5";
        }
        report.fastPath.buckets = setup.bucketing.toString();
        report.fastPath.ranges = setup.ranges.size();
      } else {
        report.method = "full";
        if (setup.pushdown.nativeHashes()) {
          report.rowHashes = "sql";
        }
      }
    }

    private ReconcileSample sample(ReconcileSetup setup) throws Exception {
      report.method = "sample";
      List<Object[]> keys = SampleKeys.draw(setup.sourceSide, settings.sample,
          settings.sampleSeed);
      report.sample = new ReconcileReport.Sample();
      report.sample.sampled = keys.size();
      report.sample.seed = settings.sampleSeed;
      return ReconcileSample.of(setup.sourceSide, setup.targetSide, setup.canonicalizer, keys);
    }

    private static void deleteQuietly(Path directory) {
      try (Stream<Path> paths = Files.walk(directory)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        LOG.debug("cannot remove work directory {}", directory, e);
      }
    }
  }
}
