package dev.ferry.pipelines.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.reconcile.ReconcileOptions;
import dev.ferry.pipelines.reconcile.ReconcilePipeline;
import dev.ferry.pipelines.reconcile.ReconcileReport;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.EmbeddedMongo;
import dev.ferry.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/** Reconcile with a collection on either side, after a backfill and after planted changes. */
class MongoReconcileTest {

  private static ReconcileReport reconcile(List<String> flags) {
    PipelineOptionsFactory.register(ReconcileOptions.class);
    ReconcileOptions options = PipelineOptionsFactory.fromArgs(flags.toArray(new String[0]))
        .withValidation().as(ReconcileOptions.class);
    return ReconcilePipeline.run(options, new Secrets(Map.of()));
  }

  @Test
  void catchesAChangedNestedFieldAndAMissingDocument() throws Exception {
    String from = EmbeddedMongo.newDatabaseUrl();
    String to = EmbeddedMongo.newDatabaseUrl();
    List<ObjectId> ids = new ArrayList<>();
    try (MongoClient client = new MongoEndpoint(from, null, null).connect()) {
      List<Document> docs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ObjectId id = new ObjectId(new Date(1_700_000_000_000L + i), i);
        ids.add(id);
        docs.add(new Document("_id", id).append("name", "n" + i)
            .append("profile", new Document("address", new Document("city", "C" + i)
                .append("zip", i)).append("tags", List.of("a", i))));
      }
      MongoBackfillTest.database(client, from).getCollection("users").insertMany(docs);
    }
    List<String> flags = List.of("--job=users", "--sourceUrl=" + from,
        "--sourceCollection=users", "--targetUrl=" + to, "--partitions=3",
        "--progressIntervalSeconds=60");
    RunSummary copy = MongoJobs.backfill(Map.of(), flags);
    assertEquals(0, copy.exitCode, copy.error);

    ReconcileReport equal = reconcile(flags);
    assertEquals(ExitCodes.OK, equal.exitCode, equal.error);
    assertEquals(200L, equal.counts.get("match"));
    assertEquals(200L, equal.rows.target);

    try (MongoClient client = new MongoEndpoint(to, null, null).connect()) {
      MongoCollection<Document> users = MongoBackfillTest.database(client, to)
          .getCollection("users");
      users.updateOne(Filters.eq("_id", ids.get(42)),
          Updates.set("profile.address.zip", 4242));
      users.deleteOne(Filters.eq("_id", ids.get(7)));
    }
    ReconcileReport changed = reconcile(flags);
    assertEquals(ExitCodes.DIFFERENCES, changed.exitCode, changed.error);
    assertEquals(1L, changed.counts.get("mismatched"));
    assertEquals(1L, changed.counts.get("missing"));
    assertEquals(198L, changed.counts.get("match"));
    assertEquals(Map.of("profile", 1L), changed.mismatchesByColumn);
  }

  @Test
  void comparesATableWithTheCollectionItWasCopiedToByAChosenKey() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, email text, total numeric(10,2),"
            + " placed timestamptz, meta jsonb)",
        "INSERT INTO orders SELECT g, 'c' || g || '@example.com', g * 1.25,"
            + " timestamptz '2024-03-01 12:00:00.123Z' + g * interval '1 minute',"
            + " jsonb_build_object('tags', jsonb_build_array('a', g), 'web', true)"
            + " FROM generate_series(1, 120) g");
    String mongo = EmbeddedMongo.newDatabaseUrl();
    List<String> flags = List.of("--job=pg-orders", "--sourceUrl=" + pg.jdbcUrl(),
        "--sourceUser=" + pg.user(), "--sourceTable=orders", "--targetUrl=" + mongo,
        "--partitions=2", "--progressIntervalSeconds=60");
    RunSummary copy = MongoJobs.backfill(Map.of(), flags);
    assertEquals(0, copy.exitCode, copy.error);
    // Keyed by the field "id" (the mapped source key), with generated _ids: a forced re-copy
    // upserts by id and adds no document.
    List<String> again = new ArrayList<>(flags);
    again.add("--restart");
    assertEquals(0, MongoJobs.backfill(Map.of(), again).exitCode);
    try (MongoClient client = new MongoEndpoint(mongo, null, null).connect()) {
      assertEquals(120, MongoBackfillTest.database(client, mongo).getCollection("orders")
          .countDocuments());
    }
    ReconcileReport equal = reconcile(flags);
    assertEquals(ExitCodes.OK, equal.exitCode, equal.error + " " + equal.counts);
    assertEquals(120L, equal.counts.get("match"));

    pg.execute("UPDATE orders SET meta = jsonb_set(meta, '{tags,1}', '999') WHERE id = 9");
    ReconcileReport changed = reconcile(flags);
    assertEquals(ExitCodes.DIFFERENCES, changed.exitCode, changed.error);
    assertEquals(Map.of("meta", 1L), changed.mismatchesByColumn);
  }
}
