package dev.ferry.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import dev.ferry.plan.KeyRange;
import dev.ferry.progress.ProgressStore;
import dev.ferry.read.RangeTask;
import dev.ferry.record.Chunk;
import dev.ferry.record.DeadLetter;
import dev.ferry.testing.EmbeddedMongo;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class MongoTransformsTest {

  private static Document order(int i) {
    return new Document("_id", new ObjectId(new Date(1_700_000_000_000L + i * 1000L), i))
        .append("n", i)
        .append("big", 10_000_000_000L + i)
        .append("price", new Decimal128(new BigDecimal("12.50").add(BigDecimal.valueOf(i))))
        .append("at", new Date(1_600_000_000_123L + i))
        .append("ratio", i / 4.0)
        .append("ok", i % 2 == 0)
        .append("customer", new Document("email", "c" + i + "@example.com")
            .append("address", new Document("city", "Berlin").append("zip", "1011" + i)))
        .append("tags", List.of("a" + i, new Document("k", i), 3L))
        .append("ref", new ObjectId(new Date(1_500_000_000_000L), i))
        .append("uuid", new UUID(i, i * 7L))
        .append("raw", new Binary(new byte[] {1, 2, (byte) i}))
        .append("note", i % 3 == 0 ? null : "n" + i);
  }

  @Test
  void copiesACollectionInPlannedRangesWithEveryBsonTypeIntact() throws Exception {
    MongoEndpoint endpoint = new MongoEndpoint(EmbeddedMongo.newDatabaseUrl(), null, null);
    List<Document> originals = new ArrayList<>();
    try (MongoClient client = endpoint.connect()) {
      for (int i = 0; i < 230; i++) {
        originals.add(order(i));
      }
      endpoint.database(client).getCollection("orders").insertMany(originals);
    }
    CollectionSource source;
    List<KeyRange> ranges;
    try (MongoClient client = endpoint.connect()) {
      source = CollectionSource.of(endpoint, "orders").describe(client);
      ranges = new CollectionRangePlanner(source, 4).plan(client);
    }
    assertEquals(4, ranges.size(), "four ranges planned by position: " + ranges);
    assertEquals("objectid", source.layout().column(0).typeName());
    MongoProgressStore store = new MongoProgressStore(endpoint);
    ProgressStore.Work work = store.planOrResume("copy", "fp", () -> ranges);

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    p.apply(Create.of(work.pending).withCoder(SerializableCoder.of(RangeTask.class)))
        .apply(ReadCollection.from(source).withChunkSize(16))
        .apply(UpsertDocuments.into(CollectionTarget.of(endpoint, "copy"), source.layout(),
            source.layout(), List.of("_id")).forJob("copy", "fp", "run1"));
    p.run().waitUntilFinish();

    try (MongoClient client = endpoint.connect()) {
      List<Document> copied = endpoint.database(client).getCollection("copy").find()
          .sort(Sorts.ascending("_id")).into(new ArrayList<>());
      assertEquals(originals.size(), copied.size());
      for (int i = 0; i < originals.size(); i++) {
        assertEquals(originals.get(i).toJson(), copied.get(i).toJson(), "document " + i);
      }
    }
    ProgressStore.Totals totals = store.totals("copy", "fp");
    assertEquals(4, totals.rangesDone, "every range checkpointed as done");
    assertEquals(230, totals.rowsWritten);

    // The same rows again (a fresh plan, as a forced re-copy makes): nothing is modified.
    ProgressStore.Work again = store.planOrResume("copy", "fp2", () -> ranges);
    TestPipeline rerun = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    rerun.apply(Create.of(again.pending).withCoder(SerializableCoder.of(RangeTask.class)))
        .apply(ReadCollection.from(source).withChunkSize(16))
        .apply(UpsertDocuments.into(CollectionTarget.of(endpoint, "copy"), source.layout(),
            source.layout(), List.of("_id")).forJob("copy", "fp2", "run2"));
    PipelineResult result = rerun.run();
    result.waitUntilFinish();
    assertEquals(230, counter(result, "rowsWritten"));
    assertEquals(0, counter(result, "documentsInserted"));
    assertEquals(0, counter(result, "documentsModified"), "identical documents are left alone");
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(UpsertDocuments.class, name)).build())
        .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  @Test
  void keysOfAnotherTypeAreReadAsARangeOfTheirOwnAndBadValuesAreDeadLettered() throws Exception {
    MongoEndpoint endpoint = new MongoEndpoint(EmbeddedMongo.newDatabaseUrl(), null, null);
    try (MongoClient client = endpoint.connect()) {
      MongoCollection<Document> c = endpoint.database(client).getCollection("items");
      for (long i = 1; i <= 40; i++) {
        c.insertOne(new Document("_id", i).append("v", new Decimal128(BigDecimal.valueOf(i))));
      }
      c.insertOne(new Document("_id", "legacy-7").append("v", Decimal128.NaN));
      c.insertOne(new Document("_id", "legacy-8").append("v", Decimal128.parse("8")));
    }
    CollectionSource source;
    List<KeyRange> ranges;
    try (MongoClient client = endpoint.connect()) {
      source = CollectionSource.of(endpoint, "items").describe(client);
      ranges = new CollectionRangePlanner(source, 3).plan(client);
    }
    assertEquals(4, ranges.size(), "three numeric ranges and one for other key types");
    assertTrue(ranges.get(3).nullKeys());
    // Range 1 resumes after key 20, as if its first chunk had been committed.
    List<RangeTask> tasks = new ArrayList<>();
    for (KeyRange r : ranges) {
      tasks.add(r.index() == 1 ? new RangeTask(r, 1, KeyBounds.checkpoint(20L, 20L))
          : RangeTask.fresh(r));
    }
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<Chunk> chunks = p
        .apply(Create.of(tasks).withCoder(SerializableCoder.of(RangeTask.class)))
        .apply(ReadCollection.from(source).withChunkSize(5));
    PAssert.that(chunks).satisfies(all -> {
      List<Object> keys = new ArrayList<>();
      List<DeadLetter> dead = new ArrayList<>();
      for (Chunk c : all) {
        c.source().forEach(r -> keys.add(r.get(0)));
        dead.addAll(c.rejected());
        if (c.range() == 1 && c.seq() == 2) {
          assertTrue(!c.source().isEmpty() && (Long) c.source().get(0).get(0) > 20L,
              "resumed after the checkpoint");
        }
      }
      assertTrue(keys.contains("legacy-8"), "a string _id among long ones is read");
      assertEquals(1, dead.size(), "the NaN decimal is dead-lettered: " + dead);
      DeadLetter d = dead.get(0);
      assertEquals("v", d.column());
      assertEquals(DeadLetter.Stage.READ, d.stage());
      assertTrue(d.error().contains("collection items") && d.error().contains("legacy-7")
          && d.error().contains("NaN"), d.error());
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void largeDocumentsGetMoreRangesSoARangeStaysSmallInMemory() {
    MongoEndpoint endpoint = new MongoEndpoint(EmbeddedMongo.newDatabaseUrl(), null, null);
    try (MongoClient client = endpoint.connect()) {
      MongoCollection<Document> c = endpoint.database(client).getCollection("blobs");
      for (long i = 0; i < 40; i++) {
        c.insertOne(new Document("_id", i).append("text", "x".repeat(600_000)));
      }
      CollectionSource source = CollectionSource.of(endpoint, "blobs").describe(client);
      // About 1.2 MB of heap per document: at most 26 in a 32 MiB range.
      assertEquals(2, new CollectionRangePlanner(source, 1).plan(client).size());
    }
  }

  @Test
  void aChosenKeyThatRepeatsResumesAfterKeyAndIdWithTheProjectionApplied() throws Exception {
    MongoEndpoint endpoint = new MongoEndpoint(EmbeddedMongo.newDatabaseUrl(), null, null);
    CollectionSource source;
    List<KeyRange> ranges;
    try (MongoClient client = endpoint.connect()) {
      MongoCollection<Document> c = endpoint.database(client).getCollection("events");
      for (int i = 0; i < 70; i++) {
        c.insertOne(new Document("_id", new ObjectId(new Date(1_700_000_000_000L), i))
            .append("day", "2024-01-" + (10 + i % 10)).append("secret", "s" + i));
      }
      source = CollectionSource.of(endpoint, "events").withKey("day")
          .withProjection("{\"secret\": 0}").describe(client);
      ranges = new CollectionRangePlanner(source, 1).plan(client);
    }
    assertEquals(List.of("_id", "day"), source.layout().names(), "the projection is applied");
    // Resume in the middle of day 2024-01-13: after its fourth document (_id counter 33).
    String checkpoint = KeyBounds.checkpoint("2024-01-13",
        new ObjectId(new Date(1_700_000_000_000L), 33));
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<Chunk> chunks = p
        .apply(Create.of(new RangeTask(ranges.get(0), 5, checkpoint))
            .withCoder(SerializableCoder.of(RangeTask.class)))
        .apply(ReadCollection.from(source).withChunkSize(4));
    PAssert.that(chunks).satisfies(all -> {
      List<String> read = new ArrayList<>();
      for (Chunk c : all) {
        assertTrue(c.seq() > 5, "chunk numbers continue after the checkpoint");
        c.source().forEach(r -> read.add(r.get(1) + "/" + r.get(0)));
      }
      assertEquals(70 - 3 * 7 - 4, read.size(), "days 10-12 and four of day 13 were done");
      assertEquals(read.size(), new java.util.HashSet<>(read).size(), "no document twice");
      assertTrue(read.stream().allMatch(k -> k.compareTo("2024-01-13") > 0), read.toString());
      return null;
    });
    p.run().waitUntilFinish();
  }
}
