package dev.ferry.pipelines.fill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Sorts;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.testing.EmbeddedMongo;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-place fill of missing fields of a MongoDB collection (mongo-java-server in-process,
 * through the real driver): email_lower from an expression of the same document and phone from
 * the lookup collection email_lookup, only where the field is NULL or absent; a re-run changes
 * nothing; a run killed with SIGKILL resumes after its checkpoints.
 */
class FillMongoTest {
  @TempDir Path tmp;

  /** Orders of 500 users; users 0-399 are in email_lookup; some fields are already set. */
  private static MongoEndpoint shop(int orders) {
    MongoEndpoint endpoint = new MongoEndpoint(EmbeddedMongo.newDatabaseUrl(), null, null);
    try (MongoClient client = endpoint.connect()) {
      MongoDatabase db = endpoint.database(client);
      List<Document> docs = new ArrayList<>();
      for (long i = 1; i <= orders; i++) {
        Document d = new Document("_id", i).append("email", " User" + (i % 500)
            + "@Example.COM ").append("total", i);
        if (i % 7 == 0) {
          d.append("phone", "keep-" + i);
        }
        if (i % 11 == 0) {
          d.append("email_lower", "keep");
        } else if (i % 13 == 0) {
          d.append("email_lower", null);
        }
        docs.add(d);
      }
      db.getCollection("orders").insertMany(docs);
      List<Document> lookup = new ArrayList<>();
      for (int u = 0; u < 400; u++) {
        lookup.add(new Document("email", "user" + u + "@example.com")
            .append("contact", new Document("phone", "+49-" + (1000 + u))));
      }
      db.getCollection("email_lookup").insertMany(lookup);
    }
    return endpoint;
  }

  private Path spec(String job, MongoEndpoint endpoint) throws Exception {
    Path spec = tmp.resolve(job + ".yaml");
    Files.writeString(spec, String.join("\n",
        "job: " + job,
        "source:",
        "  url: " + endpoint.url(),
        "  collection: orders",
        "fill:",
        "  columns: [email_lower, phone]",
        "mapping:",
        "  columns:",
        "    - {name: email_lower, from: email, ops: [trim, lower]}",
        "  lookups:",
        "    - collection: email_lookup",
        "      on: [email_lower]",
        "      key: [email]",
        "      columns: [{name: phone, from: contact.phone}]",
        "partitions: 4",
        "batchSize: 200",
        ""));
    return spec;
  }

  /** Checks every document against what the fill must leave; returns them as JSON. */
  private static String checkFilled(MongoEndpoint endpoint, int orders) {
    StringBuilder all = new StringBuilder();
    try (MongoClient client = endpoint.connect()) {
      List<Document> docs = endpoint.database(client).getCollection("orders").find()
          .sort(Sorts.ascending("_id")).into(new ArrayList<>());
      assertEquals(orders, docs.size(), "a fill never inserts");
      for (Document d : docs) {
        long i = d.getLong("_id");
        long user = i % 500;
        assertEquals(i % 7 == 0 ? "keep-" + i : user < 400 ? "+49-" + (1000 + user) : null,
            d.get("phone"), d.toJson());
        assertEquals(i % 11 == 0 ? "keep" : "user" + user + "@example.com",
            d.get("email_lower"), d.toJson());
        if (i % 7 != 0 && user >= 400) {
          assertTrue(!d.containsKey("phone"), "an absent field without a value stays absent");
        }
        all.append(d.toJson()).append('\n');
      }
    }
    return all.toString();
  }

  @Test
  void fillsMissingFieldsFromTheDocumentAndALookupCollection() throws Exception {
    MongoEndpoint endpoint = shop(1500);
    Path spec = spec("fill-mongo", endpoint);
    RunSummary first = Fills.run("--spec=" + spec);
    assertEquals(0, first.exitCode, first.error);
    assertEquals("fill", first.kind);
    String filled = checkFilled(endpoint, 1500);

    RunSummary again = Fills.run("--spec=" + spec, "--restart");
    assertEquals(0, again.exitCode, again.error);
    assertTrue(again.rowsRead > 0, "documents without a phone are read again");
    assertEquals(0, again.rowsWritten, "and none is written");
    assertEquals(filled, checkFilled(endpoint, 1500));
  }

  @Test
  void killedFillResumesWhereItStopped() throws Exception {
    int orders = 3000;
    MongoEndpoint endpoint = shop(orders);
    Path spec = spec("fill-mongo-kill", endpoint);
    File log = tmp.resolve("child.log").toFile();
    Process child = Fills.child(log, "--spec=" + spec, "--maxRowsPerSecond=300");
    long committedAtKill;
    try (MongoClient client = endpoint.connect()) {
      MongoDatabase db = endpoint.database(client);
      committedAtKill = Fills.waitForProgress(() -> {
        Document sum = db.getCollection("ferry_progress").aggregate(List.of(
            Aggregates.group(null, Accumulators.sum("read", "$rowsRead")))).first();
        return sum == null ? 0 : ((Number) sum.get("read")).longValue();
      }, orders / 4, child, log);
    }
    child.destroyForcibly();
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertTrue(committedAtKill < orders, "killed before the end");

    RunSummary resumed = Fills.run("--spec=" + spec);
    assertEquals(0, resumed.exitCode, resumed.error);
    assertTrue(resumed.resumed);
    long toRead = orders - orders / 77;
    assertTrue(resumed.rowsRead <= toRead - committedAtKill, "resumed run read "
        + resumed.rowsRead + " documents; " + committedAtKill + " were committed before the kill");
    assertEquals(resumed.rangesTotal, resumed.rangesDone);
    checkFilled(endpoint, orders);
  }
}
