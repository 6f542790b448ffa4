package dev.ferry.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.ferry.plan.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a collection's key space into ranges of about equal document counts, by position: it
 * counts the matching documents and takes the key at every n-th position of the key order
 * ({@code sort(key).skip(i * count / n).limit(1)}) as a boundary.
 *
 * <p>Why not MongoDB's own split points: {@code splitVector} (what {@code MongoDbIO}'s
 * {@code withNumSplits} uses) and {@code $bucketAuto} need a real {@code mongod} and are not
 * implemented by the in-process server ferry's tests run against, and {@code splitVector} is not
 * allowed on sharded clusters or for most users of hosted MongoDB. Counting and skipping in key
 * order only needs the key's index (the {@code _id} index always exists; index a chosen key)
 * and the find permission. The cost is one index walk per boundary, paid once per job: a saved
 * plan is reused by every resumed run.
 *
 * <p>The first range has no lower and the last no upper bound, so keys below or above those seen
 * at planning time are read too. Documents whose key has another BSON type than the key's main
 * type (or none) get a range of their own ({@link KeyBounds}).
 */
public final class CollectionRangePlanner {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionRangePlanner.class);
  /**
   * Most documents and about the most bytes (of heap, estimated from a sample) per range. The
   * reader emits a range's chunks from one call, which the DirectRunner holds in memory until
   * the call ends, so large collections and large documents get more ranges.
   */
  public static final long MAX_DOCUMENTS_PER_RANGE = 50_000;
  public static final long MAX_BYTES_PER_RANGE = 32L << 20;
  private static final int SIZE_SAMPLE = 100;

  private final CollectionSource source;
  private final int partitions;

  public CollectionRangePlanner(CollectionSource source, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    this.source = Objects.requireNonNull(source, "source");
    this.partitions = partitions;
  }

  public List<KeyRange> plan(MongoClient client) {
    MongoCollection<Document> c = source.collection(client);
    String key = source.key();
    KeyBounds bounds = new KeyBounds(key, keyType());
    Bson typed = Filters.and(source.query(), bounds.typed());
    long count = c.countDocuments(typed);
    long perRangeCap = Math.max(1, Math.min(MAX_DOCUMENTS_PER_RANGE,
        MAX_BYTES_PER_RANGE / averageBytes(c, typed)));
    long n = Math.max(1, Math.min(count, Math.max(partitions,
        (count + perRangeCap - 1) / perRangeCap)));
    List<Object> boundaries = new ArrayList<>();
    for (long i = 1; i < n; i++) {
      Document at = c.find(typed).sort(Sorts.ascending(key))
          .projection(Projections.include(key)).skip((int) (i * count / n)).limit(1).first();
      Object value = at == null ? null : FieldPath.of(key).get(at);
      if (value != null && (boundaries.isEmpty()
          || !value.equals(boundaries.get(boundaries.size() - 1)))) {
        boundaries.add(value);
      }
    }
    List<KeyRange> ranges = new ArrayList<>();
    long perRange = count / (boundaries.size() + 1);
    Object[] lower = null;
    for (Object b : boundaries) {
      Object[] upper = KeyBounds.bound(b);
      ranges.add(KeyRange.between(ranges.size(), lower, upper, perRange));
      lower = upper;
    }
    ranges.add(KeyRange.between(ranges.size(), lower, null, perRange));
    long others = c.countDocuments(Filters.and(source.query(), bounds.untyped()));
    if (others > 0) {
      LOG.warn("{}: {} documents have no {} of type {}; they are read as a range of their own",
          source, others, key, keyType());
      ranges.add(KeyRange.ofNullKeys(ranges.size(), others));
    }
    return ranges;
  }

  /** Heap bytes of a document as a row, estimated as two per character of its JSON. */
  private long averageBytes(MongoCollection<Document> c, Bson typed) {
    long chars = 0;
    int docs = 0;
    for (Document d : source.find(c, typed).limit(SIZE_SAMPLE)) {
      chars += BsonValues.canonicalJson(d).length();
      docs++;
    }
    return docs == 0 ? 1 : Math.max(1, 2 * chars / docs);
  }

  private String keyType() {
    return source.layout().column(source.layout().indexOf(source.key())).typeName();
  }
}
