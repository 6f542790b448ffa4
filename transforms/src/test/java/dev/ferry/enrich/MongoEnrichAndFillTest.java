package dev.ferry.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import dev.ferry.fill.FillRows;
import dev.ferry.map.LookupRule;
import dev.ferry.map.MapChunks;
import dev.ferry.map.MappingSpec;
import dev.ferry.map.RecordMapper;
import dev.ferry.mongo.CollectionRangePlanner;
import dev.ferry.mongo.CollectionSource;
import dev.ferry.mongo.CollectionTarget;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.mongo.MongoProgressStore;
import dev.ferry.mongo.ReadCollection;
import dev.ferry.mongo.UpsertDocuments;
import dev.ferry.plan.KeyRange;
import dev.ferry.progress.ProgressStore;
import dev.ferry.read.RangeTask;
import dev.ferry.record.Chunk;
import dev.ferry.record.Layout;
import dev.ferry.testing.EmbeddedMongo;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Lookups from a MongoDB collection (mongo-java-server, in-process, through the real driver):
 * a MongoDB-to-MongoDB copy whose documents get a phone from a lookup collection by email (the
 * {@code $lookup} + {@code $merge} case), and the in-place fill of a missing field, which sets
 * it only where it is NULL or absent and changes nothing when run again.
 */
class MongoEnrichAndFillTest {
  private static final int ORDERS = 100;

  /** Orders of 20 customers; every 5th already has a phone, every 7th an explicit null. */
  private static MongoEndpoint shop() {
    MongoEndpoint endpoint = new MongoEndpoint(EmbeddedMongo.newDatabaseUrl(), null, null);
    try (MongoClient client = endpoint.connect()) {
      List<Document> orders = new ArrayList<>();
      for (long i = 1; i <= ORDERS; i++) {
        Document d = new Document("_id", i).append("email", "u" + (i % 20) + "@x")
            .append("total", i * 10);
        if (i % 5 == 0) {
          d.append("phone", "keep-" + i);
        } else if (i % 7 == 0) {
          d.append("phone", null);
        }
        orders.add(d);
      }
      endpoint.database(client).getCollection("orders").insertMany(orders);
      List<Document> lookup = new ArrayList<>();
      for (int k = 1; k <= 14; k++) {
        lookup.add(new Document("email", "u" + k + "@x").append("contact",
            new Document("phone", "+1-" + k)));
      }
      lookup.add(new Document("email", "u3@x").append("contact", new Document("phone", "+1-33")));
      endpoint.database(client).getCollection("email_lookup").insertMany(lookup);
    }
    return endpoint;
  }

  /** Fills phone from email_lookup.contact.phone by email. */
  private static Lookup phoneByEmail(MongoEndpoint endpoint, Layout rows) {
    LookupRule rule = new LookupRule().on("email")
        .fill(LookupRule.Output.named("phone").from("contact.phone"));
    rule.collection = "email_lookup";
    return Lookup.compile(rule, rows, ReadLookupCollection.describe(endpoint, "email_lookup",
        List.of("email", "contact.phone")));
  }

  private static List<RangeTask> plan(MongoEndpoint endpoint, CollectionSource source,
      String job) throws Exception {
    List<KeyRange> ranges;
    try (MongoClient client = endpoint.connect()) {
      ranges = new CollectionRangePlanner(source, 3).plan(client);
    }
    return new MongoProgressStore(endpoint).planOrResume(job, "fp", () -> ranges).pending;
  }

  /** Reads the source in planned ranges, maps it as it is, and looks up each phone. */
  private static PCollection<Chunk> readAndEnrich(TestPipeline p, MongoEndpoint endpoint,
      CollectionSource source, Lookup lookup, String job, Lookup.Strategy strategy)
      throws Exception {
    return p.apply(Create.of(plan(endpoint, source, job)).withCoder(SerializableCoder.of(
            RangeTask.class)))
        .apply(ReadCollection.from(source).withChunkSize(7))
        .apply(MapChunks.with(RecordMapper.compile(MappingSpec.identity(), source.layout()),
            List.of("_id"), "orders"))
        .apply(EnrichChunks.with(lookup, ReadLookupCollection.plan(endpoint, "email_lookup",
            lookup, 2), source.layout(), List.of("_id"), "orders").withStrategy(strategy));
  }

  @Test
  void copiesACollectionWithAPhoneLookedUpInAnother() throws Exception {
    MongoEndpoint endpoint = shop();
    CollectionSource source;
    try (MongoClient client = endpoint.connect()) {
      source = CollectionSource.of(endpoint, "orders")
          .withFields(List.of("_id", "email", "total")).describe(client);
    }
    Lookup lookup = phoneByEmail(endpoint, source.layout());
    assertEquals(List.of("_id", "email", "total", "phone"), lookup.outputLayout().names());
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    readAndEnrich(p, endpoint, source, lookup, "copy", Lookup.Strategy.JOIN)
        .apply(UpsertDocuments.into(CollectionTarget.of(endpoint, "orders_new"),
            lookup.outputLayout(), source.layout(), List.of("_id")).forJob("copy", "fp", "r1"));
    p.run().waitUntilFinish();

    try (MongoClient client = endpoint.connect()) {
      List<Document> copied = endpoint.database(client).getCollection("orders_new").find()
          .sort(Sorts.ascending("_id")).into(new ArrayList<>());
      assertEquals(ORDERS - 5, copied.size(), "the 5 orders of u3@x are dead-lettered");
      for (Document d : copied) {
        long k = d.getLong("_id") % 20;
        assertEquals(k >= 1 && k <= 14 ? "+1-" + k : null, d.get("phone"), d.toJson());
        assertEquals(d.getLong("_id") * 10, ((Number) d.get("total")).longValue());
      }
    }
    List<String[]> dead = new MongoProgressStore(endpoint).deadLetters("copy", "fp");
    assertEquals(5, dead.size());
    assertTrue(dead.get(0)[3].contains("lookup email_lookup: 2 rows match {\"email\":\"u3@x\"}"
        + " with different values for [phone]"), dead.get(0)[3]);
  }

  @Test
  void fillsAMissingFieldOnlyWhereItIsNullOrAbsent() throws Exception {
    MongoEndpoint endpoint = shop();
    CollectionSource source;
    try (MongoClient client = endpoint.connect()) {
      source = CollectionSource.of(endpoint, "orders").withFilter("{\"phone\": null}")
          .withFields(List.of("_id", "email", "phone")).describe(client);
    }
    assertTrue(fill(endpoint, source, "fill1", Lookup.Strategy.SIDE_INPUT) > 0,
        "the first run modifies documents");
    String filled = snapshot(endpoint);
    try (MongoClient client = endpoint.connect()) {
      MongoCollection<Document> orders = endpoint.database(client).getCollection("orders");
      assertEquals(ORDERS, orders.countDocuments(), "a fill never inserts");
      for (Document d : orders.find()) {
        long i = d.getLong("_id");
        long k = i % 20;
        Object expected = i % 5 == 0 ? "keep-" + i
            : k >= 1 && k <= 14 && k != 3 ? "+1-" + k : null;
        assertEquals(expected, d.get("phone"), d.toJson());
        if (expected == null && i % 7 != 0) {
          assertTrue(!d.containsKey("phone"), "an unmatched absent field stays absent");
        }
      }
    }
    assertEquals(0L, fill(endpoint, source, "fill2", Lookup.Strategy.JOIN),
        "a re-run modifies no document");
    assertEquals(filled, snapshot(endpoint));
  }

  /** Runs a fill of orders.phone; returns how many documents it modified. */
  private static long fill(MongoEndpoint endpoint, CollectionSource source,
      String job, Lookup.Strategy strategy) throws Exception {
    Lookup lookup = phoneByEmail(endpoint, source.layout());
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    Layout written = new Layout(List.of(source.layout().column(0),
        source.layout().column(2)));
    readAndEnrich(p, endpoint, source, lookup, job, strategy)
        .apply(FillRows.of(source.layout(), List.of("_id"), lookup.outputLayout(),
            List.of("phone")))
        .apply(UpsertDocuments.into(CollectionTarget.of(endpoint, "orders")
            .withMode(CollectionTarget.Mode.FILL_NULLS), written, source.layout(),
            List.of("_id")).forJob(job, "fp", "r1"));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long modified = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(UpsertDocuments.class, "documentsModified"))
        .build()).getCounters()) {
      modified += c.getAttempted();
    }
    return modified;
  }

  private static String snapshot(MongoEndpoint endpoint) {
    try (MongoClient client = endpoint.connect()) {
      StringBuilder sb = new StringBuilder();
      for (Document d : endpoint.database(client).getCollection("orders").find()
          .sort(Sorts.ascending("_id"))) {
        sb.append(d.toJson()).append('\n');
      }
      return sb.toString();
    }
  }
}
