package dev.ferry.pipelines.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.mongo.CollectionSource;
import dev.ferry.mongo.CollectionTarget;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.pipelines.spec.JobSpec;
import dev.ferry.pipelines.spec.SpecException;
import java.util.List;

/**
 * The MongoDB sides of a job spec, checked and typed: a side is MongoDB when its {@code url}
 * starts with {@code mongodb://} or {@code mongodb+srv://}. The spec fields of such a side:
 *
 * <pre>
 * source:
 *   url: mongodb://legacy:27017/shop       # the database is the URL's path
 *   user: ferry                            # password: ${env:…} or ${file:…} only
 *   collection: orders
 *   key: [_id]                             # or one field; ranges and resume follow it
 *   filter: {status: {$ne: deleted}}       # Extended JSON, as YAML or as a JSON string
 *   projection: {audit: 0}
 *   fields: [_id, customer.email, total]   # optional: read these paths as columns
 * target:
 *   url: mongodb://new:27017/shop
 *   collection: orders
 *   key: [_id]                             # upsert key; default: the mapped source key
 * </pre>
 */
public final class MongoSides {
  /** The MongoDB source, or null when the source is JDBC. */
  public final CollectionSource source;
  /** The MongoDB target endpoint and collection, or null when the target is JDBC. */
  public final MongoEndpoint targetEndpoint;
  public final String targetCollection;

  private MongoSides(CollectionSource source, MongoEndpoint targetEndpoint,
      String targetCollection) {
    this.source = source;
    this.targetEndpoint = targetEndpoint;
    this.targetCollection = targetCollection;
  }

  /** The flags that override a MongoDB side's spec fields. */
  public static final class Flags {
    public String sourceCollection;
    public String sourceFilter;
    public String sourceProjection;
    /** Already split at commas; null when not given. */
    public List<String> sourceFields;
    public String targetCollection;
  }

  /**
   * Reads the MongoDB parts of a spec. {@code sourceEndpoint} and {@code targetEndpoint} are the
   * sides' endpoints when they are MongoDB (null otherwise); {@code sourceKey} the key as given.
   */
  public static MongoSides from(String origin, JobSpec spec, Flags flags,
      MongoEndpoint sourceEndpoint, List<String> sourceKey, MongoEndpoint targetEndpoint,
      String sourceTableName) {
    CollectionSource source = null;
    String sourceCollection = first(flags.sourceCollection, spec.source.collection);
    if (sourceEndpoint != null) {
      if (spec.source.table != null || spec.source.query != null) {
        throw new SpecException(origin, "source", "a MongoDB source reads a collection: give"
            + " collection, not table or query");
      }
      if (sourceCollection == null) {
        throw new SpecException(origin, "source.collection", "required for a MongoDB source");
      }
      if (sourceKey.size() > 1) {
        throw new SpecException(origin, "source.key", "a MongoDB source is read by one field,"
            + " got " + sourceKey);
      }
      try {
        source = CollectionSource.of(sourceEndpoint, sourceCollection);
        if (!sourceKey.isEmpty()) {
          source = source.withKey(sourceKey.get(0));
        }
        String filter = json(flags.sourceFilter, spec.source.filter);
        if (filter != null) {
          source = source.withFilter(filter);
        }
        String projection = json(flags.sourceProjection, spec.source.projection);
        if (projection != null) {
          source = source.withProjection(projection);
        }
        List<String> fields = flags.sourceFields != null ? flags.sourceFields
            : spec.source.fields;
        if (!fields.isEmpty()) {
          source = source.withFields(fields);
        }
      } catch (IllegalArgumentException e) {
        throw new SpecException(origin, "source", e.getMessage());
      }
    } else if (sourceCollection != null || spec.source.filter != null
        || spec.source.projection != null || !spec.source.fields.isEmpty()) {
      throw new SpecException(origin, "source", "collection, filter, projection and fields"
          + " are for a MongoDB source (url: mongodb://…)");
    }
    String targetCollection = first(flags.targetCollection, spec.target.collection);
    if (targetEndpoint != null) {
      if (spec.target.table != null || spec.target.stateSchema != null) {
        throw new SpecException(origin, "target", "a MongoDB target writes a collection and"
            + " keeps ferry's state in its own database: give collection, not table or"
            + " stateSchema");
      }
      if (targetCollection == null && sourceCollection == null && sourceTableName == null) {
        throw new SpecException(origin, "target.collection", "required when reading a query");
      }
      if (targetCollection == null) {
        targetCollection = sourceCollection != null ? sourceCollection
            : sourceTableName.substring(sourceTableName.lastIndexOf('.') + 1).replace("\"", "");
      }
      try {
        CollectionTarget.of(targetEndpoint, targetCollection);
      } catch (IllegalArgumentException e) {
        throw new SpecException(origin, "target.collection", e.getMessage());
      }
    } else if (targetCollection != null) {
      throw new SpecException(origin, "target.collection", "is for a MongoDB target (url:"
          + " mongodb://…)");
    }
    return new MongoSides(source, targetEndpoint, targetCollection);
  }

  /** A filter or projection given as a flag (JSON text) or in the spec (YAML mapping or text). */
  private static String json(String flag, JsonNode spec) {
    if (flag != null) {
      return flag;
    }
    if (spec == null || spec.isNull()) {
      return null;
    }
    return spec.isTextual() ? spec.asText() : spec.toString();
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }
}
