package dev.ferry.pipelines.reconcile;

import com.mongodb.client.MongoClient;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.digest.RowDigest;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.MapChunks;
import dev.ferry.mongo.BsonValues.JsonStyle;
import dev.ferry.mongo.ChunkDigests;
import dev.ferry.mongo.CollectionSource;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.MongoBackfill;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.KeyRangePlanner;
import dev.ferry.plan.SourceRelation;
import dev.ferry.read.RangeTask;
import dev.ferry.read.ReadRanges;
import dev.ferry.record.Chunk;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import dev.ferry.reconcile.ClassifyKeys;
import dev.ferry.reconcile.KeyClass;
import dev.ferry.reconcile.ReconcileFacts;
import dev.ferry.write.TargetTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile job when a side is a MongoDB collection (key {@code _id} or a chosen field):
 * both sides are read as chunks in planned ranges, the source's mapped with the job's mapping,
 * every row digested over the compared columns ({@link ChunkDigests}) and both joined by key
 * and classified by {@link ClassifyKeys}, as the full comparison of two tables does. Nested
 * fields are compared as canonical JSON (keys sorted), so a changed field deep inside a
 * subdocument is a mismatch of its top-level column; flattened paths are columns of their own.
 *
 * <p>Only the full comparison: the fast path (checksums computed by the databases), sampling
 * and repair are for JDBC sides.
 */
final class MongoReconcile {
  private static final Logger LOG = LoggerFactory.getLogger(MongoReconcile.class);
  private static final String SOURCE_ROWS = "digest.source.count";
  private static final String TARGET_ROWS = "digest.target.count";

  private final ReconcileOptions options;
  private final BackfillConfig config;
  private final ReconcileSettings settings;
  private final ReconcileReport report;

  MongoReconcile(ReconcileOptions options, BackfillConfig config, ReconcileSettings settings,
      ReconcileReport report) {
    this.options = options;
    this.config = config;
    this.settings = settings;
    this.report = report;
  }

  /** The side being compared against the source: what to read and how its rows look. */
  private static final class TargetSide {
    Layout layout;
    PTransform<PCollection<RangeTask>, PCollection<Chunk>> read;
    List<KeyRange> ranges;
    String name;
  }

  void execute() throws Exception {
    if (settings.sample != null || settings.repair || settings.repairSqlFile != null) {
      throw new SpecException("flags", "sample/repair", "not supported when a side is MongoDB;"
          + " run the full comparison");
    }
    JobPlan p = BackfillPipeline.prepareSource(config);
    List<String> key = BackfillPipeline.targetKey(config, p);
    TargetSide target = config.mongo.targetEndpoint != null
        ? targetCollection(p, key) : targetTable(p, key);
    List<Column> compared = new ArrayList<>();
    for (Column c : p.mapper().targetLayout().columns()) {
      if (target.layout.has(c.name())) {
        compared.add(comparable(target.layout.column(target.layout.indexOf(c.name()))));
      }
    }
    RowCanonicalizer canonicalizer;
    try {
      canonicalizer = RowCanonicalizer.of(new Layout(compared), config.target != null
          ? config.target.dialect() : Dialect.POSTGRESQL, key, settings.rules, Set.of());
    } catch (IllegalArgumentException e) {
      throw new SpecException(config.origin, "target.key", e.getMessage());
    }
    List<KeyRange> sourceRanges = p.readsCollection()
        ? MongoBackfill.plan(p.collection(), config.partitions) : planTable(config.source,
            p.relation());
    describeSides(p, target, key, canonicalizer);

    Pipeline pipeline = Pipeline.create(options);
    PCollection<KV<String, RowDigest>> source = pipeline
        .apply("Source.Ranges", tasks(sourceRanges))
        .apply("Source.Distribute", Reshuffle.viaRandomKey())
        .apply("Source.Read", p.readsCollection() ? MongoBackfill.read(p.collection(), config)
            : ReadRanges.from(config.source, p.relation(), p.sourceLayout())
                .withChunkSize(config.batchSize).withZeroDatesAsNull(config.zeroDatesAsNull)
                .withBackpressure(config.stepOutputsInMemory))
        .apply("Source.Map", MapChunks.with(p.mapper(), p.sourceKeyColumns(), p.sourceName()))
        .apply("Source.Digest", ChunkDigests.of(canonicalizer, p.mapper().targetLayout()));
    PCollection<KV<String, RowDigest>> targetRows = pipeline
        .apply("Target.Ranges", tasks(target.ranges))
        .apply("Target.Distribute", Reshuffle.viaRandomKey())
        .apply("Target.Read", target.read)
        .apply("Target.Digest", ChunkDigests.of(canonicalizer, target.layout));
    PCollectionTuple classified = PCollectionTuple.of(ClassifyKeys.SOURCE, source)
        .and(ClassifyKeys.TARGET, targetRows)
        .apply("Classify", ClassifyKeys.comparing(canonicalizer.columnNames(),
            settings.rules.floatTolerance()).withJoinPartitions(ClassifyKeys.partitionsFor(
                estimatedRows(sourceRanges), 5_000)));
    PCollection<KV<String, Long>> facts = PCollectionList.of(classified.get(ClassifyKeys.FACTS))
        .and(rowCount(source, SOURCE_ROWS, "Source")).and(rowCount(targetRows, TARGET_ROWS,
            "Target"))
        .apply("AllFacts", Flatten.pCollections())
        .apply("SumFacts", Sum.longsPerKey());
    Path work = Files.createTempDirectory("ferry-reconcile-");
    try {
      ResultFiles files = new ResultFiles(work.toString());
      files.write(PCollectionTuple.of(ClassifyKeys.DIFFERENCES,
          classified.get(ClassifyKeys.DIFFERENCES)).and(ClassifyKeys.FACTS, facts),
          ClassifyKeys.DIFFERENCES, ClassifyKeys.FACTS);
      LOG.info("{}: comparing {} with {} (full)", config.job, p.sourceName(), target.name);
      pipeline.run().waitUntilFinish();
      ResultFiles.Results results = files.read();
      Findings findings = new Findings(results.differences, canonicalizer);
      summarize(results.facts, findings);
      if (settings.differencesFile != null) {
        findings.writeDifferences(settings.differencesFile);
        report.differencesFile = settings.differencesFile;
      }
    } finally {
      try (var paths = Files.walk(work)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private TargetSide targetCollection(JobPlan p, List<String> key) {
    if (key.size() != 1) {
      throw new SpecException(config.origin, "target.key", "a collection is compared by one"
          + " key field, got " + key);
    }
    // Both sides render subdocuments alike: Extended JSON between collections, plain JSON
    // against a table's json columns.
    JsonStyle style = p.readsCollection() ? p.collection().jsonStyle() : JsonStyle.PLAIN;
    CollectionSource collection = CollectionSource.of(config.mongo.targetEndpoint,
        config.mongo.targetCollection).withKey(key.get(0))
        .withFields(p.mapper().targetLayout().names()).withJsonStyle(style);
    TargetSide t = new TargetSide();
    try (MongoClient client = collection.endpoint().connect()) {
      collection = collection.describe(client);
    }
    t.layout = collection.layout();
    t.read = MongoBackfill.read(collection, config);
    t.ranges = MongoBackfill.plan(collection, config.partitions);
    t.name = collection.collectionName();
    return t;
  }

  private TargetSide targetTable(JobPlan p, List<String> key) throws Exception {
    TargetTable table = BackfillPipeline.describeTarget(config, p);
    SourceRelation relation = SourceRelation.table(table.name(), key);
    TargetSide t = new TargetSide();
    t.layout = table.columns();
    t.read = ReadRanges.from(config.target, relation, table.columns())
        .withChunkSize(config.batchSize).withBackpressure(config.stepOutputsInMemory);
    t.ranges = planTable(config.target, relation);
    t.name = table.displayName();
    return t;
  }

  private List<KeyRange> planTable(JdbcEndpoint endpoint, SourceRelation relation)
      throws Exception {
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.SOURCE)) {
      c.setReadOnly(true);
      return new KeyRangePlanner(endpoint.dialect(), relation, config.partitions).plan(c);
    }
  }

  /**
   * A collection's column as the comparison types it: subdocuments and arrays as JSON (compared
   * by parsed value), ObjectIds and strings as text.
   */
  private static Column comparable(Column c) {
    switch (c.typeName()) {
      case "object":
      case "array":
        return new Column(c.name(), Types.OTHER, "jsonb", 0, 0, true);
      case "objectid":
      case "string":
        return new Column(c.name(), Types.VARCHAR, "text", 0, 0, true);
      default:
        return c;
    }
  }

  private static PTransform<org.apache.beam.sdk.values.PBegin, PCollection<RangeTask>> tasks(
      List<KeyRange> ranges) {
    List<RangeTask> tasks = new ArrayList<>();
    for (KeyRange r : ranges) {
      tasks.add(RangeTask.fresh(r));
    }
    return Create.of(tasks).withCoder(SerializableCoder.of(RangeTask.class));
  }

  private static long estimatedRows(List<KeyRange> ranges) {
    long n = 0;
    for (KeyRange r : ranges) {
      n += r.estimatedRows();
    }
    return n;
  }

  private static PCollection<KV<String, Long>> rowCount(
      PCollection<KV<String, RowDigest>> rows, String fact, String side) {
    return rows.apply(side + ".CountRows", Count.globally())
        .apply(side + ".AsFact", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
            TypeDescriptors.longs())).via(n -> KV.of(fact, n)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }

  private void describeSides(JobPlan p, TargetSide target, List<String> key,
      RowCanonicalizer canonicalizer) {
    report.method = "full";
    report.source = new ReconcileReport.Side();
    report.source.endpoint = config.sourceName();
    report.source.table = p.sourceName();
    report.source.key = p.sourceKeyColumns();
    report.target = new ReconcileReport.Side();
    report.target.endpoint = config.targetName();
    report.target.table = target.name;
    report.target.key = key;
    Map<String, Object> rules = new LinkedHashMap<>();
    rules.put("floatTolerance", settings.rules.floatTolerance());
    rules.put("timestampPrecision", settings.rules.timestampPrecision());
    rules.put("compared", canonicalizer.columnNames());
    report.rules = rules;
    report.tolerance = settings.tolerance;
  }

  private void summarize(Map<String, Long> facts, Findings findings) {
    Map<KeyClass, Long> found = findings.counts();
    Map<String, Long> counts = new LinkedHashMap<>();
    for (KeyClass c : KeyClass.values()) {
      counts.put(c.label(), c == KeyClass.MATCH
          ? facts.getOrDefault(ReconcileFacts.keys(c), 0L) : found.getOrDefault(c, 0L));
    }
    report.counts = counts;
    report.differences = (long) findings.all().size();
    report.mismatchesByColumn = findings.mismatchesByColumn();
    report.rows = new ReconcileReport.Rows();
    report.rows.source = facts.getOrDefault(SOURCE_ROWS, 0L);
    report.rows.target = facts.getOrDefault(TARGET_ROWS, 0L);
    report.differenceRate = (double) report.differences / Math.max(1, report.rows.source);
    boolean exceeds = report.differenceRate > settings.tolerance;
    report.status = exceeds ? "differences" : "ok";
    report.exitCode = exceeds ? ExitCodes.DIFFERENCES : ExitCodes.OK;
  }
}
