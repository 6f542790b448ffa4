package dev.ferry.pipelines.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Sorts;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedMongo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MongoDB-to-MongoDB backfill whose mapping looks each order's phone up in another collection
 * of the source database (mongo-java-server in-process, through the real driver): the job-spec
 * form of a {@code $lookup} + {@code $merge}, with a disagreeing match dead-lettered.
 */
class MongoToMongoWithLookupTest {
  @TempDir Path tmp;

  @Test
  void ordersGetTheirPhoneFromALookupCollection() throws Exception {
    MongoEndpoint from = new MongoEndpoint(EmbeddedMongo.newDatabaseUrl(), null, null);
    MongoEndpoint to = new MongoEndpoint(EmbeddedMongo.newDatabaseUrl(), null, null);
    try (MongoClient client = from.connect()) {
      List<Document> orders = new ArrayList<>();
      for (long i = 1; i <= 200; i++) {
        orders.add(new Document("_id", i).append("email", "u" + (i % 20) + "@x")
            .append("total", i));
      }
      from.database(client).getCollection("orders").insertMany(orders);
      List<Document> lookup = new ArrayList<>();
      for (int k = 1; k <= 14; k++) {
        lookup.add(new Document("email", "u" + k + "@x")
            .append("contact", new Document("phone", "+1-" + k)));
      }
      lookup.add(new Document("email", "u3@x").append("contact", new Document("phone", "+9")));
      from.database(client).getCollection("email_lookup").insertMany(lookup);
    }
    Path spec = tmp.resolve("m2m.yaml");
    Files.writeString(spec, String.join("\n",
        "job: m2m-lookup",
        "source: {url: \"" + from.url() + "\", collection: orders}",
        "target: {url: \"" + to.url() + "\", collection: orders}",
        "mapping:",
        "  lookups:",
        "    - collection: email_lookup",
        "      on: [email]",
        "      columns: [{name: phone, from: contact.phone}]",
        "      strategy: join",
        "partitions: 3",
        "batchSize: 25",
        "maxDeadLetters: 10",
        ""));
    PipelineOptionsFactory.register(BackfillOptions.class);
    RunSummary s = BackfillPipeline.run(PipelineOptionsFactory.fromArgs("--spec=" + spec)
        .withValidation().as(BackfillOptions.class), new Secrets(Map.of()));
    assertEquals(0, s.exitCode, s.error);
    assertEquals(200, s.rowsRead);
    assertEquals(10, s.rowsDeadLettered, "the orders of u3@x match two phones");
    try (MongoClient client = to.connect()) {
      List<Document> copied = to.database(client).getCollection("orders").find()
          .sort(Sorts.ascending("_id")).into(new ArrayList<>());
      assertEquals(190, copied.size());
      for (Document d : copied) {
        long k = d.getLong("_id") % 20;
        assertEquals(k >= 1 && k <= 14 ? "+1-" + k : null, d.get("phone"), d.toJson());
        assertTrue(k != 3, d.toJson());
      }
      Document dead = to.database(client).getCollection("ferry_dead_letter").find().first();
      assertTrue(dead.getString("error").contains("lookup email_lookup: 2 rows match"
          + " {\"email\":\"u3@x\"} with different values for [phone]"), dead.toJson());
    }
  }
}
