package dev.ferry.pipelines.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Sorts;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.testing.EmbeddedMongo;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MongoDB-to-MongoDB backfill in a child JVM killed with SIGKILL mid-run, then started again
 * with the same command: the second run reads only the documents after each range's checkpoint
 * in {@code ferry_progress}, and the target ends up equal to the source. The server lives in this
 * JVM, so the kill takes only the job, as when a worker dies.
 */
class MongoResumeAfterKillTest {
  private static final int DOCUMENTS = 30_000;
  @TempDir Path tmp;

  @Test
  void killedRunResumesWhereItStopped() throws Exception {
    String from = EmbeddedMongo.newDatabaseUrl();
    String to = EmbeddedMongo.newDatabaseUrl();
    try (MongoClient client = new MongoEndpoint(from, null, null).connect()) {
      List<Document> docs = new ArrayList<>();
      for (int i = 0; i < DOCUMENTS; i++) {
        docs.add(new Document("_id", new ObjectId(new Date(1_700_000_000_000L + i), i))
            .append("kind", "k" + i % 9).append("at", new Date(1_600_000_000_000L + i * 1000L))
            .append("body", new Document("text", "x".repeat(i % 50)).append("n", i)));
      }
      MongoBackfillTest.database(client, from).getCollection("events").insertMany(docs);
    }
    List<String> flags = List.of("--job=kill-mongo", "--sourceUrl=" + from,
        "--sourceCollection=events", "--targetUrl=" + to, "--targetCollection=events",
        "--partitions=6", "--batchSize=250", "--progressIntervalSeconds=60");

    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), BackfillPipeline.class.getName()));
    command.addAll(flags);
    command.add("--maxRowsPerSecond=3000");
    File log = tmp.resolve("child.log").toFile();
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log)
        .start();
    long committedAtKill;
    try (MongoClient client = new MongoEndpoint(to, null, null).connect()) {
      MongoDatabase target = MongoBackfillTest.database(client, to);
      committedAtKill = waitForProgress(target, DOCUMENTS / 4, child, log);
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertTrue(committedAtKill < DOCUMENTS, "killed before the end");

      RunSummary resumed = MongoJobs.backfill(Map.of(), flags);
      assertEquals(0, resumed.exitCode, resumed.error);
      assertTrue(resumed.resumed);
      assertTrue(resumed.rowsRead <= DOCUMENTS - committedAtKill, "resumed run read "
          + resumed.rowsRead + " documents; " + committedAtKill
          + " were committed before the kill");
      assertEquals(resumed.rangesTotal, resumed.rangesDone);

      try (MongoClient source = new MongoEndpoint(from, null, null).connect()) {
        List<Document> expected = MongoBackfillTest.database(source, from).getCollection("events")
            .find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
        List<Document> copied = target.getCollection("events").find()
            .sort(Sorts.ascending("_id")).into(new ArrayList<>());
        assertEquals(expected, copied);
      }
    }
  }

  /** Waits until at least {@code documents} are checkpointed, and returns how many are. */
  private static long waitForProgress(MongoDatabase target, long documents, Process child,
      File log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        throw new AssertionError("the child ended before it could be killed:\n"
            + Files.readString(log.toPath()));
      }
      Document sum = target.getCollection("ferry_progress").aggregate(List.of(
          Aggregates.group(null, Accumulators.sum("written", "$rowsWritten")))).first();
      long n = sum == null ? 0 : ((Number) sum.get("written")).longValue();
      if (n >= documents) {
        return n;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no progress within 90 s");
  }
}
