package dev.ferry.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.ferry.plan.KeyRange;
import dev.ferry.progress.Checkpoint;
import dev.ferry.progress.JobState;
import dev.ferry.progress.ProgressStore;
import dev.ferry.progress.StateTables;
import dev.ferry.read.RangeTask;
import dev.ferry.record.DeadLetter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A job's state in a MongoDB target: the collections {@code ferry_progress} (the plan and each
 * range's checkpoint), {@code ferry_dead_letter} and {@code ferry_runs} in the target database,
 * named like the tables of a JDBC target ({@link StateTables}).
 *
 * <p>Guarantee: a chunk's documents are written first and its checkpoint after they were
 * acknowledged, each with the endpoint's write concern; the two are not one transaction (the
 * in-process server ferry is tested against has none, nor has a standalone {@code mongod}). A
 * crash between them leaves the checkpoint one chunk behind, so the resumed run writes that
 * chunk again, which the upsert by key makes harmless. The checkpoint therefore never claims a
 * document that is not written, as with a JDBC target.
 */
public final class MongoProgressStore implements JobState {
  private final MongoEndpoint endpoint;

  public MongoProgressStore(MongoEndpoint endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  static MongoCollection<Document> progress(MongoDatabase db) {
    return db.getCollection(StateTables.PROGRESS);
  }

  static MongoCollection<Document> deadLetters(MongoDatabase db) {
    return db.getCollection(StateTables.DEAD_LETTER);
  }

  private static MongoCollection<Document> runs(MongoDatabase db) {
    return db.getCollection(StateTables.RUNS);
  }

  private static Bson ofJob(String job, String fingerprint) {
    return Filters.and(Filters.eq("_id.job", job), Filters.eq("_id.fingerprint", fingerprint));
  }

  private static Document rangeId(String job, String fingerprint, int range) {
    return new Document("job", job).append("fingerprint", fingerprint).append("range", range);
  }

  @Override
  public void ensureTables() {
    // Collections are created by their first write; nothing to prepare.
  }

  @Override
  public void forget(String job, String fingerprint) {
    try (MongoClient client = endpoint.connect()) {
      progress(endpoint.database(client)).deleteMany(ofJob(job, fingerprint));
    }
  }

  /**
   * Loads the saved plan or saves a new one. The plan's documents carry the number of ranges, so
   * a plan only partly saved (a run killed while saving it) is recognised, dropped and made
   * again, which is safe because no range of it can have a checkpoint yet.
   */
  @Override
  public ProgressStore.Work planOrResume(String job, String fingerprint,
      ProgressStore.Planner planner, ProgressStore.Watermark watermark) throws Exception {
    try (MongoClient client = endpoint.connect()) {
      MongoCollection<Document> progress = progress(endpoint.database(client));
      List<Document> saved = progress.find(ofJob(job, fingerprint)).sort(Sorts.ascending(
          "_id.range")).into(new ArrayList<>());
      if (!saved.isEmpty() && saved.size() == saved.get(0).getInteger("ranges")) {
        List<RangeTask> pending = new ArrayList<>();
        int done = 0;
        long estimated = 0;
        for (Document d : saved) {
          estimated += d.getLong("estimatedRows");
          if (d.getBoolean("done")) {
            done++;
            continue;
          }
          KeyRange range = KeyRange.fromText(d.get("_id", Document.class).getInteger("range"),
              d.getString("lower"), d.getString("upper"), d.getBoolean("nullKeys"),
              d.getLong("estimatedRows"));
          pending.add(new RangeTask(range, d.getLong("seq"), d.getString("lastKey")));
        }
        return new ProgressStore.Work(pending, saved.size(), done, true, estimated,
            saved.get(0).getString("watermark"));
      }
      progress.deleteMany(ofJob(job, fingerprint));
      String taken = watermark.capture();
      List<KeyRange> ranges = planner.plan();
      List<Document> docs = new ArrayList<>();
      List<RangeTask> pending = new ArrayList<>();
      long estimated = 0;
      for (KeyRange r : ranges) {
        docs.add(new Document("_id", rangeId(job, fingerprint, r.index()))
            .append("ranges", ranges.size()).append("lower", r.lowerText())
            .append("upper", r.upperText()).append("nullKeys", r.nullKeys())
            .append("estimatedRows", r.estimatedRows()).append("seq", 0L)
            .append("lastKey", null).append("rowsRead", 0L).append("rowsWritten", 0L)
            .append("rowsDead", 0L).append("done", false).append("updatedAt", new Date())
            .append("watermark", taken));
        pending.add(RangeTask.fresh(r));
        estimated += r.estimatedRows();
      }
      progress.insertMany(docs);
      return new ProgressStore.Work(pending, ranges.size(), 0, false, estimated, taken);
    }
  }

  /**
   * Advances a range's checkpoint from chunk {@code seq - 1} to {@code seq}; false (and nothing
   * changed) for a chunk written twice or out of order, as in {@link
   * StateTables#advanceCheckpoint}.
   */
  static boolean advance(MongoDatabase db, String job, String fingerprint, Checkpoint c) {
    List<Bson> set = new ArrayList<>(List.of(Updates.set("seq", c.seq()),
        Updates.set("done", c.last()), Updates.set("updatedAt", new Date()),
        Updates.inc("rowsRead", c.read()), Updates.inc("rowsWritten", c.written()),
        Updates.inc("rowsDead", c.dead())));
    if (c.lastKey() != null) {
      set.add(Updates.set("lastKey", c.lastKey()));
    }
    return progress(db).updateOne(Filters.and(Filters.eq("_id", rangeId(job, fingerprint,
        c.range())), Filters.eq("seq", c.seq() - 1)), Updates.combine(set)).getMatchedCount() == 1;
  }

  /** The range's committed sequence number (a range not in the plan: never behind). */
  static long seq(MongoDatabase db, String job, String fingerprint, int range) {
    Document d = progress(db).find(Filters.eq("_id", rangeId(job, fingerprint, range))).first();
    return d == null ? Long.MAX_VALUE : d.getLong("seq");
  }

  /** Records dead letters; a row rejected again on a re-run replaces its earlier entry. */
  static void recordDeadLetters(MongoDatabase db, String job, String fingerprint, String runId,
      List<DeadLetter> letters) {
    for (DeadLetter d : letters) {
      Document id = new Document("job", job).append("fingerprint", fingerprint)
          .append("key", d.key()).append("stage",
          d.stage().name().toLowerCase(java.util.Locale.ROOT));
      deadLetters(db).replaceOne(Filters.eq("_id", id), new Document("_id", id)
          .append("column", d.column()).append("error", d.error())
          .append("sourceRow", d.sourceRow()).append("runId", runId)
          .append("createdAt", new Date()), new ReplaceOptions().upsert(true));
    }
  }

  @Override
  public ProgressStore.Totals totals(String job, String fingerprint) {
    ProgressStore.Totals t = new ProgressStore.Totals();
    try (MongoClient client = endpoint.connect()) {
      for (Document d : progress(endpoint.database(client)).find(ofJob(job, fingerprint))) {
        t.ranges++;
        t.rangesDone += d.getBoolean("done") ? 1 : 0;
        t.rangesStarted += !d.getBoolean("done") && d.getLong("seq") > 0 ? 1 : 0;
        t.rowsRead += d.getLong("rowsRead");
        t.rowsWritten += d.getLong("rowsWritten");
        t.rowsDead += d.getLong("rowsDead");
        t.estimatedRows += d.getLong("estimatedRows");
      }
    }
    return t;
  }

  @Override
  public void startRun(String job, String runId, String fingerprint, String kind,
      String sinceValue) {
    try (MongoClient client = endpoint.connect()) {
      runs(endpoint.database(client)).insertOne(new Document("_id", new Document("job", job)
          .append("runId", runId)).append("fingerprint", fingerprint).append("kind", kind)
          .append("startedAt", new Date()).append("status", "running")
          .append("sinceValue", sinceValue));
    }
  }

  @Override
  public void finishRun(String job, String runId, String status, String watermark,
      long rowsRead, long rowsWritten, long rowsDead) {
    try (MongoClient client = endpoint.connect()) {
      runs(endpoint.database(client)).updateOne(Filters.eq("_id", new Document("job", job)
          .append("runId", runId)), Updates.combine(Updates.set("finishedAt", new Date()),
          Updates.set("status", status), Updates.set("watermark", watermark),
          Updates.set("rowsRead", rowsRead), Updates.set("rowsWritten", rowsWritten),
          Updates.set("rowsDead", rowsDead)));
    }
  }

  @Override
  public String lastWatermark(String job) {
    try (MongoClient client = endpoint.connect()) {
      Document last = runs(endpoint.database(client)).find(Filters.and(Filters.eq("_id.job",
          job), Filters.eq("status", "succeeded"), Filters.ne("watermark", null)))
          .sort(Sorts.descending("finishedAt", "_id.runId")).first();
      return last == null ? null : last.getString("watermark");
    }
  }

  @Override
  public List<String[]> deadLetters(String job, String fingerprint) {
    List<String[]> rows = new ArrayList<>();
    try (MongoClient client = endpoint.connect()) {
      for (Document d : deadLetters(endpoint.database(client)).find(ofJob(job, fingerprint))
          .sort(Sorts.ascending("_id.stage", "_id.key"))) {
        Document id = d.get("_id", Document.class);
        rows.add(new String[] {id.getString("key"), id.getString("stage"),
            d.getString("column"), d.getString("error"), d.getString("sourceRow"),
            d.getString("runId")});
      }
    }
    return rows;
  }
}
