package dev.ferry.enrich;

import com.mongodb.client.MongoClient;
import dev.ferry.mongo.CollectionRangePlanner;
import dev.ferry.mongo.CollectionSource;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.mongo.ReadCollection;
import dev.ferry.plan.KeyRange;
import dev.ferry.read.RangeTask;
import dev.ferry.read.SpreadRanges;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import dev.ferry.record.RecordCoder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads a MongoDB lookup collection as {@code KV<joinKey, values>} for {@link EnrichChunks},
 * the counterpart of {@link ReadLookupTable}: the collection reader of a MongoDB backfill
 * ({@link CollectionRangePlanner}, {@link ReadCollection}), in ranges of the first key field,
 * reading only the key fields and the filled fields (field paths such as {@code contact.phone}
 * work). Together with a lookup this is what a {@code $lookup} stage followed by a {@code
 * $merge} does, in resumable chunks.
 */
public final class ReadLookupCollection
    extends PTransform<PBegin, PCollection<KV<String, Record>>> {
  private final CollectionSource source;
  private final List<String> keyFields;
  private final List<String> valueFields;
  private final List<RangeTask> ranges;
  private final long estimatedRows;

  private ReadLookupCollection(CollectionSource source, List<String> keyFields,
      List<String> valueFields, List<RangeTask> ranges, long estimatedRows) {
    this.source = source;
    this.keyFields = keyFields;
    this.valueFields = valueFields;
    this.ranges = ranges;
    this.estimatedRows = estimatedRows;
  }

  /**
   * The fields of a lookup collection, to compile a {@link Lookup} against: {@code fields} typed
   * from a sample of its documents.
   */
  public static Layout describe(MongoEndpoint endpoint, String collection, List<String> fields) {
    try (MongoClient client = endpoint.connect()) {
      return CollectionSource.of(endpoint, collection).withFields(fields).describe(client)
          .layout();
    }
  }

  /** Plans the read of {@code lookup}'s documents from {@code collection}. */
  public static ReadLookupCollection plan(MongoEndpoint endpoint, String collection,
      Lookup lookup, int partitions) {
    Objects.requireNonNull(lookup, "lookup");
    LinkedHashSet<String> fields = new LinkedHashSet<>(lookup.keyColumns());
    fields.addAll(lookup.valueColumns());
    List<RangeTask> tasks = new ArrayList<>();
    long rows = 0;
    CollectionSource source;
    try (MongoClient client = endpoint.connect()) {
      source = CollectionSource.of(endpoint, collection).withKey(lookup.keyColumns().get(0))
          .withFields(new ArrayList<>(fields)).describe(client);
      for (KeyRange r : new CollectionRangePlanner(source, partitions).plan(client)) {
        tasks.add(RangeTask.fresh(r));
        rows += r.estimatedRows();
      }
    }
    return new ReadLookupCollection(source, List.copyOf(lookup.keyColumns()),
        List.copyOf(lookup.valueColumns()), tasks, rows);
  }

  /** The lookup's document count as estimated by planning. */
  public long estimatedRows() {
    return estimatedRows;
  }

  @Override
  public PCollection<KV<String, Record>> expand(PBegin begin) {
    Layout layout = source.layout();
    return begin
        .apply("Ranges", SpreadRanges.of(ranges))
        .apply("Read", ReadCollection.from(source).withChunkSize(5000))
        .apply("KeyRows", ParDo.of(new LookupRowsFn(source.collectionName(),
            layout.indexesOf(keyFields), layout.indexesOf(valueFields))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of()));
  }
}
