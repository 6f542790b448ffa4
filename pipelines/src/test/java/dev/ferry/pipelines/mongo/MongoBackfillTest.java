package dev.ferry.pipelines.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.EmbeddedMongo;
import dev.ferry.testing.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill job with MongoDB on either side, from a YAML spec as a user writes it, on the
 * DirectRunner against the in-process mongo-java-server and an embedded PostgreSQL.
 */
class MongoBackfillTest {
  @TempDir Path tmp;

  static MongoDatabase database(MongoClient client, String url) {
    return client.getDatabase(url.substring(url.lastIndexOf('/') + 1));
  }

  private RunSummary backfill(String spec, String... flags) throws Exception {
    Path file = tmp.resolve("job.yaml");
    Files.writeString(file, spec);
    List<String> args = new ArrayList<>(List.of("--spec=" + file, "--progressIntervalSeconds=60"));
    args.addAll(List.of(flags));
    return MongoJobs.backfill(Map.of(), args);
  }

  @Test
  void postgresTableBecomesDocumentsAndRerunsChangeNothing() throws Exception {
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, email text, total numeric(10,2),"
            + " qty integer, placed timestamptz, meta jsonb, note text)",
        "INSERT INTO orders SELECT g, 'c' || g || '@example.com', g * 1.25, g % 7,"
            + " timestamptz '2024-03-01 12:00:00.123Z' + g * interval '1 minute',"
            + " jsonb_build_object('source', 'web', 'tags', jsonb_build_array('a', g)),"
            + " CASE WHEN g % 5 = 0 THEN NULL ELSE 'n' || g END FROM generate_series(1, 300) g",
        // BSON dates keep milliseconds: this row cannot be stored without losing digits.
        "UPDATE orders SET placed = timestamptz '2024-03-01 12:00:00.123456Z' WHERE id = 77");
    String mongo = EmbeddedMongo.newDatabaseUrl();
    String spec = "job: pg-to-mongo\n"
        + "source: {url: '" + pg.jdbcUrl() + "', user: " + pg.user() + ", table: orders}\n"
        + "target: {url: '" + mongo + "', collection: orders}\n"
        + "mapping:\n"
        + "  columns:\n"
        + "    - {name: _id, from: id}\n"
        + "    - {name: customer.email, from: email}\n"
        + "partitions: 4\nbatchSize: 40\nmaxDeadLetters: 5\n";

    RunSummary first = backfill(spec);
    assertEquals(0, first.exitCode, first.error);
    assertEquals(299, first.rowsWritten);
    assertEquals(1, first.rowsDeadLettered);

    try (MongoClient client = new MongoEndpoint(mongo, null, null).connect()) {
      MongoDatabase db = database(client, mongo);
      MongoCollection<Document> orders = db.getCollection("orders");
      assertEquals(299, orders.countDocuments());
      Document d = orders.find(new Document("_id", 12L)).first();
      assertEquals("c12@example.com", d.get("customer", Document.class).getString("email"));
      assertEquals(new Decimal128(new BigDecimal("15.00")), d.get("total"));
      assertEquals(5, d.get("qty"), "an integer column becomes a 32-bit int");
      assertEquals(Date.from(java.time.Instant.parse("2024-03-01T12:12:00.123Z")),
          d.get("placed"));
      Document meta = d.get("meta", Document.class);
      assertEquals("web", meta.getString("source"), "jsonb becomes a subdocument");
      assertEquals(List.of("a", 12), meta.getList("tags", Object.class));
      assertTrue(orders.find(new Document("_id", 10L)).first().containsKey("note"));
      Document dead = db.getCollection("ferry_dead_letter").find().first();
      assertEquals("{\"id\":77}", dead.get("_id", Document.class).getString("key"));
      assertEquals("placed", dead.getString("column"));
      assertTrue(dead.getString("error").contains("collection orders")
          && dead.getString("error").contains("milliseconds"), dead.getString("error"));

      List<Document> before = orders.find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
      RunSummary again = backfill(spec);
      assertEquals(0, again.exitCode, again.error);
      assertEquals(0, again.rowsRead, "a finished job has nothing left to read");
      RunSummary forced = backfill(spec, "--restart");
      assertEquals(0, forced.exitCode, forced.error);
      assertEquals(299, forced.rowsWritten);
      assertEquals(before, orders.find().sort(Sorts.ascending("_id")).into(new ArrayList<>()),
          "a forced re-copy leaves every document as it was");
    }
  }

  @Test
  void collectionBecomesRowsWithFlattenedFieldsAndJsonb() throws Exception {
    String mongo = EmbeddedMongo.newDatabaseUrl();
    List<ObjectId> ids = new ArrayList<>();
    try (MongoClient client = new MongoEndpoint(mongo, null, null).connect()) {
      MongoCollection<Document> c = database(client, mongo).getCollection("customers");
      for (int i = 0; i < 120; i++) {
        ObjectId id = new ObjectId(new Date(1_700_000_000_000L + i * 1000L), i);
        ids.add(id);
        c.insertOne(new Document("_id", id)
            .append("name", "n" + i)
            .append("status", i % 10 == 9 ? "deleted" : "active")
            .append("address", new Document("city", "City" + i).append("zip", "z" + i))
            .append("orders", List.of(new Document("sku", "s" + i).append("qty", i),
                new Document("sku", "t").append("at", new Date(1_600_000_000_000L))))
            .append("balance", i == 5 ? Decimal128.NaN : new Decimal128(BigDecimal.valueOf(i, 2)))
            .append("since", new Date(1_500_000_000_000L + i)));
      }
    }
    TestDatabase pg = EmbeddedDatabases.newPostgres();
    pg.execute("CREATE TABLE customers (id char(24) PRIMARY KEY, name text, city text,"
        + " address jsonb, orders jsonb, balance numeric(12,2), since timestamptz)");
    String spec = "job: mongo-to-pg\n"
        + "source:\n"
        + "  url: '" + mongo + "'\n"
        + "  collection: customers\n"
        + "  filter: {status: {$ne: deleted}}\n"
        + "  fields: [_id, name, address, address.city, orders, balance, since]\n"
        + "target: {url: '" + pg.jdbcUrl() + "', user: " + pg.user() + ", table: customers}\n"
        + "mapping:\n"
        + "  columns:\n"
        + "    - {name: id, from: _id}\n"
        + "    - {name: city, from: address.city}\n"
        + "partitions: 3\nbatchSize: 25\nmaxDeadLetters: 1\n";

    RunSummary run = backfill(spec);
    assertEquals(0, run.exitCode, run.error);
    assertEquals(107, run.rowsWritten, "108 not deleted, one with a NaN balance");
    assertEquals(1, run.rowsDeadLettered);
    List<List<Object>> row = pg.query("SELECT name, city, address->>'zip', orders->0->>'sku',"
        + " orders->0->>'qty', orders->1->>'at', balance, since FROM customers WHERE id = '"
        + ids.get(12).toHexString() + "'");
    assertEquals("n12", row.get(0).get(0));
    assertEquals("City12", row.get(0).get(1), "a nested field flattened into a column");
    assertEquals("z12", row.get(0).get(2), "a subdocument as jsonb");
    assertEquals("s12", row.get(0).get(3));
    assertEquals("12", row.get(0).get(4));
    assertEquals("2020-09-13T12:26:40Z", row.get(0).get(5), "dates in jsonb as ISO text");
    assertEquals(0, new BigDecimal("0.12").compareTo((BigDecimal) row.get(0).get(6)));
    assertFalse(pg.query("SELECT 1 FROM customers WHERE name = 'n9'").size() > 0,
        "the filter left out deleted customers");
    List<List<Object>> dead = pg.query("SELECT row_key, stage, column_name, error"
        + " FROM ferry_dead_letter");
    assertEquals(1, dead.size());
    assertEquals("read", dead.get(0).get(1));
    assertEquals("balance", dead.get(0).get(2));
    String error = (String) dead.get(0).get(3);
    assertTrue(error.contains("collection customers") && error.contains(ids.get(5).toHexString())
        && error.contains("NaN"), error);
  }

  @Test
  void collectionToCollectionKeepsEveryBsonTypeAndMissingFieldsAndMovesAFieldIntoASubdocument()
      throws Exception {
    String from = EmbeddedMongo.newDatabaseUrl();
    String to = EmbeddedMongo.newDatabaseUrl();
    List<Document> originals = new ArrayList<>();
    try (MongoClient client = new MongoEndpoint(from, null, null).connect()) {
      for (int i = 0; i < 150; i++) {
        originals.add(new Document("_id", new ObjectId(new Date(1_700_000_000_000L + i), i))
            .append("email", "u" + i + "@example.com")
            .append("n", i)
            .append("big", 5_000_000_000L + i)
            .append("price", new Decimal128(new BigDecimal("9.99").add(BigDecimal.valueOf(i))))
            .append("at", new Date(1_600_000_000_000L + i))
            .append("profile", new Document("tags", List.of("x", i, new Document("deep", true)))
                .append("since", new Date(1_400_000_000_000L))
                .append("ref", new ObjectId(new Date(1_300_000_000_000L), i)))
            .append("uuid", new java.util.UUID(i, 42)));
        if (i % 3 == 0) {
          originals.get(i).remove("n");
          originals.get(i).get("profile", Document.class).remove("since");
        }
      }
      database(client, from).getCollection("users").insertMany(originals);
    }
    String spec = "job: mongo-to-mongo\n"
        + "source: {url: '" + from + "', collection: users}\n"
        + "target: {url: '" + to + "', collection: people}\n"
        + "mapping:\n"
        + "  columns:\n"
        + "    - {name: contact.email, from: email}\n"
        + "partitions: 3\nbatchSize: 20\n";

    RunSummary run = backfill(spec);
    assertEquals(0, run.exitCode, run.error);
    assertEquals(150, run.rowsWritten);
    try (MongoClient client = new MongoEndpoint(to, null, null).connect()) {
      List<Document> copied = database(client, to).getCollection("people").find()
          .sort(Sorts.ascending("_id")).into(new ArrayList<>());
      assertEquals(150, copied.size());
      for (int i = 0; i < originals.size(); i++) {
        Document expected = new Document(originals.get(i));
        expected.put("contact", new Document("email", expected.remove("email")));
        assertEquals(expected.toJson(), copied.get(i).toJson());
      }
    }
  }
}
