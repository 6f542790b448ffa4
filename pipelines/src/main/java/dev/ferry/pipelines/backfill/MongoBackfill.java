package dev.ferry.pipelines.backfill;

import com.mongodb.client.MongoClient;
import dev.ferry.map.RecordMapper;
import dev.ferry.mongo.BsonValues.JsonStyle;
import dev.ferry.mongo.CollectionRangePlanner;
import dev.ferry.mongo.CollectionSource;
import dev.ferry.mongo.CollectionTarget;
import dev.ferry.mongo.ReadCollection;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.job.JobSource;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.plan.KeyRange;
import java.util.List;

/**
 * The backfill job's MongoDB steps: describing a source collection and lining a target
 * collection up with the mapping, planning ranges, and the read transform. Everything else
 * (plan or resume, map, write with checkpoints, summary) is the backfill's own.
 */
public final class MongoBackfill {
  private MongoBackfill() {}

  /**
   * The source collection with its columns (the given fields or a sample's) and the mapping
   * compiled against them. Subdocuments and arrays are read as Extended JSON for a MongoDB target
   * (every BSON type kept) and as plain JSON for a relational one (its json/jsonb columns).
   */
  public static JobPlan prepareSource(BackfillConfig config) {
    return prepareSource(config, config.mongo.source);
  }

  /** Like {@link #prepareSource(BackfillConfig)}, for {@code source} instead of the spec's. */
  public static JobPlan prepareSource(BackfillConfig config, CollectionSource given) {
    JsonStyle style = config.mongo.targetEndpoint != null ? JsonStyle.EXTENDED : JsonStyle.PLAIN;
    CollectionSource source = given.withJsonStyle(style);
    CollectionSource described;
    try (MongoClient client = source.endpoint().connect()) {
      described = source.describe(client);
    }
    try {
      return JobPlan.of(new JobSource.Collection(described), described.layout(),
          RecordMapper.compile(config.mapping, described.layout()));
    } catch (IllegalArgumentException e) {
      throw new SpecException(config.origin, "mapping", e.getMessage());
    }
  }

  /**
   * The target collection, keyed as configured or by the mapped source key. Rows from another
   * collection leave NULL fields out ({@link CollectionTarget#withNullFieldsOmitted}).
   */
  public static CollectionTarget describeTarget(BackfillConfig config, JobPlan p) {
    List<String> key = BackfillPipeline.targetKey(config, p);
    for (String k : key) {
      if (!p.outputLayout().has(k)) {
        throw new SpecException(config.origin, "target.key", "no mapped column '" + k
            + "' (columns: " + p.outputLayout().names() + ")");
      }
    }
    CollectionTarget target = CollectionTarget.of(config.mongo.targetEndpoint,
        config.mongo.targetCollection).withKey(key);
    // From a collection, NULL mostly means "this document has no such field".
    return p.readsCollection() ? target.withNullFieldsOmitted() : target;
  }

  public static List<KeyRange> plan(CollectionSource source, int partitions) {
    try (MongoClient client = source.endpoint().connect()) {
      return new CollectionRangePlanner(source, partitions).plan(client);
    }
  }

  public static ReadCollection read(CollectionSource source, BackfillConfig config) {
    ReadCollection read = ReadCollection.from(source).withChunkSize(config.batchSize);
    return config.maxRowsPerSecond > 0
        ? read.withMaxRowsPerSecond(config.maxRowsPerSecond, config.job) : read;
  }
}
