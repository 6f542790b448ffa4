package dev.ferry.mongo;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import dev.ferry.progress.Checkpoint;
import dev.ferry.progress.CheckpointSequencer;
import dev.ferry.record.Chunk;
import dev.ferry.record.ConversionException;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import dev.ferry.record.RowJson;
import dev.ferry.retry.Backoff;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Upserts the rows of mapped chunks into a MongoDB collection by key and advances each range's
 * checkpoint in {@code ferry_progress} of the same database.
 *
 * <pre>{@code
 * chunks.apply("Upsert", UpsertDocuments.into(target, mappedLayout, sourceLayout, List.of("id"))
 *     .forJob(job, fingerprint, runId));
 * }</pre>
 *
 * <p>Each chunk is one unordered bulk write of {@code replaceOne} (or {@code updateOne $set} in
 * {@link CollectionTarget.Mode#MERGE}) with {@code upsert}, filtered by the key: writing the same
 * rows again leaves the documents as they are (MongoDB does not rewrite a document replaced by an
 * identical one), so re-runs and retried bundles are safe. A row whose values cannot become BSON
 * (see {@link BsonValues}) or that the server rejects (a duplicate in a unique index, a document
 * over 16 MB) is dead-lettered in {@code ferry_dead_letter} with the collection, key, field and
 * reason; the rest of the chunk is written.
 *
 * <p>Delivery: at-least-once writes made exactly-once in effect by the upsert. The checkpoint is
 * written after the chunk's documents, not in one transaction with them; see
 * {@link MongoProgressStore} for why that still never claims an unwritten document.
 */
public final class UpsertDocuments extends PTransform<PCollection<Chunk>, PDone> {
  private final Config config;

  private UpsertDocuments(Config config) {
    this.config = config;
  }

  /**
   * @param rowLayout the columns of the rows written (the mapped rows; the source rows when
   *     chunks are not mapped); a column name is a field path
   * @param sourceLayout the columns of the source rows, for dead letters
   * @param sourceKeyColumns the source key, for naming rows in dead letters
   */
  public static UpsertDocuments into(CollectionTarget target, Layout rowLayout,
      Layout sourceLayout, List<String> sourceKeyColumns) {
    for (String k : target.key()) {
      if (!rowLayout.has(k)) {
        throw new IllegalArgumentException("the rows have no column for key field '" + k
            + "' of " + target + " (columns: " + rowLayout.names() + ")");
      }
    }
    sourceLayout.indexesOf(sourceKeyColumns);
    return new UpsertDocuments(new Config(Objects.requireNonNull(target), rowLayout,
        sourceLayout, List.copyOf(sourceKeyColumns), null, null, null, 8));
  }

  /** The job whose progress this write advances: name, spec fingerprint and run id. */
  public UpsertDocuments forJob(String job, String fingerprint, String runId) {
    return new UpsertDocuments(new Config(config.target, config.rowLayout, config.sourceLayout,
        config.sourceKeyColumns, Objects.requireNonNull(job), Objects.requireNonNull(fingerprint),
        Objects.requireNonNull(runId), config.maxAttempts));
  }

  public UpsertDocuments withMaxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    return new UpsertDocuments(new Config(config.target, config.rowLayout, config.sourceLayout,
        config.sourceKeyColumns, config.job, config.fingerprint, config.runId, attempts));
  }

  @Override
  public PDone expand(PCollection<Chunk> chunks) {
    if (config.job == null) {
      throw new IllegalStateException("UpsertDocuments needs forJob(job, fingerprint, runId)");
    }
    chunks.apply("UpsertDocuments", ParDo.of(new UpsertFn(config)));
    return PDone.in(chunks.getPipeline());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("target", config.target.endpoint().toString()))
        .add(DisplayData.item("collection", config.target.toString()));
  }

  private static final class Config implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final CollectionTarget target;
    final Layout rowLayout;
    final Layout sourceLayout;
    final List<String> sourceKeyColumns;
    final String job;
    final String fingerprint;
    final String runId;
    final int maxAttempts;

    Config(CollectionTarget target, Layout rowLayout, Layout sourceLayout,
        List<String> sourceKeyColumns, String job, String fingerprint, String runId,
        int maxAttempts) {
      this.target = target;
      this.rowLayout = rowLayout;
      this.sourceLayout = sourceLayout;
      this.sourceKeyColumns = sourceKeyColumns;
      this.job = job;
      this.fingerprint = fingerprint;
      this.runId = runId;
      this.maxAttempts = maxAttempts;
    }
  }

  private static final class UpsertFn extends DoFn<Chunk, Void> {
    private final Config config;
    private transient CheckpointSequencer sequencer;
    private final Counter rowsWritten = Metrics.counter(UpsertDocuments.class, "rowsWritten");
    private final Counter rowsDeadLettered = Metrics.counter(UpsertDocuments.class,
        "rowsDeadLettered");
    private final Counter documentsInserted = Metrics.counter(UpsertDocuments.class,
        "documentsInserted");
    private final Counter documentsModified = Metrics.counter(UpsertDocuments.class,
        "documentsModified");
    private final Counter writeRetries = Metrics.counter(UpsertDocuments.class, "writeRetries");
    private transient MongoClient client;
    private transient FieldPath[] paths;
    private transient int[] sourceKeyIndexes;

    UpsertFn(Config config) {
      this.config = config;
    }

    @Setup
    public void setup() {
      sequencer = new CheckpointSequencer(config.job, config.fingerprint, config.runId);
      client = config.target.endpoint().connect();
      config.target.ensureKeyIndex(client);
      paths = new FieldPath[config.rowLayout.size()];
      for (int i = 0; i < paths.length; i++) {
        paths[i] = FieldPath.of(config.rowLayout.column(i).name());
      }
      sourceKeyIndexes = config.sourceLayout.indexesOf(config.sourceKeyColumns);
    }

    @Teardown
    public void teardown() {
      if (client != null) {
        client.close();
      }
    }

    @ProcessElement
    public void process(@Element Chunk chunk) throws Exception {
      List<Record> rows = chunk.target() != null ? chunk.target() : chunk.source();
      List<DeadLetter> dead = new ArrayList<>(chunk.rejected());
      List<WriteModel<Document>> models = new ArrayList<>(rows.size());
      List<Record> modelSources = new ArrayList<>(rows.size());
      for (int r = 0; r < rows.size(); r++) {
        try {
          models.add(model(rows.get(r)));
          modelSources.add(chunk.source().get(r));
        } catch (FieldException e) {
          dead.add(deadLetter(chunk.source().get(r), e.field, e.getMessage()));
        }
      }
      MongoDatabase db = config.target.endpoint().database(client);
      Backoff backoff = Backoff.start();
      for (int attempt = 1; ; attempt++) {
        try {
          List<DeadLetter> rejected = write(models, modelSources);
          List<DeadLetter> all = new ArrayList<>(dead);
          all.addAll(rejected);
          MongoProgressStore.recordDeadLetters(db, config.job, config.fingerprint, config.runId,
              all);
          long written = models.size() - rejected.size();
          checkpoint(db, Checkpoint.of(chunk, written, all.size()));
          rowsWritten.inc(written);
          rowsDeadLettered.inc(all.size());
          chunk.release();
          return;
        } catch (MongoException e) {
          if (attempt >= config.maxAttempts || !Transience.isTransient(e)) {
            throw new IllegalStateException("writing to " + config.target + " failed (range "
                + chunk.range() + ", chunk " + chunk.seq() + "): "
                + config.target.endpoint().redact(e.getMessage()), e);
          }
          writeRetries.inc();
          backoff.pause();
        }
      }
    }

    /** Writes the models; returns dead letters for the rows the server rejected. */
    private List<DeadLetter> write(List<WriteModel<Document>> models, List<Record> sources) {
      List<DeadLetter> rejected = new ArrayList<>();
      if (models.isEmpty()) {
        return rejected;
      }
      BulkWriteResult result;
      try {
        result = config.target.collection(client).bulkWrite(models,
            new BulkWriteOptions().ordered(false));
      } catch (MongoBulkWriteException e) {
        if (e.getWriteConcernError() != null) {
          throw e;
        }
        for (BulkWriteError error : e.getWriteErrors()) {
          rejected.add(deadLetter(sources.get(error.getIndex()), null, "server error "
              + error.getCode() + ": " + error.getMessage()));
        }
        result = e.getWriteResult();
      }
      documentsInserted.inc(result.getUpserts().size());
      documentsModified.inc(result.getModifiedCount());
      return rejected;
    }

    private WriteModel<Document> model(Record row) throws FieldException {
      Document doc = new Document();
      for (int i = 0; i < paths.length; i++) {
        if (row.get(i) == null && config.target.omitsNulls()) {
          continue;
        }
        try {
          paths[i].set(doc, BsonValues.toBson(row.get(i), config.rowLayout.column(i)));
        } catch (ConversionException e) {
          throw new FieldException(paths[i].toString(), "field " + paths[i] + ": "
              + e.getMessage());
        }
      }
      List<Bson> keyFilter = new ArrayList<>();
      for (String k : config.target.key()) {
        Object value = FieldPath.of(k).get(doc);
        if (value == null) {
          throw new FieldException(k, "key field " + k + " is null");
        }
        keyFilter.add(Filters.eq(k, value));
      }
      // A lone condition is not wrapped in $and: the in-process test server only uses the _id
      // index for a plain equality, and scans the collection per document otherwise.
      Bson filter = keyFilter.size() == 1 ? keyFilter.get(0) : Filters.and(keyFilter);
      if (config.target.mode() == CollectionTarget.Mode.FILL_NULLS) {
        return fillNulls(doc);
      }
      if (config.target.mode() == CollectionTarget.Mode.REPLACE) {
        return new ReplaceOneModel<>(filter, doc, new ReplaceOptions().upsert(true));
      }
      List<Bson> sets = new ArrayList<>();
      for (int i = 0; i < paths.length; i++) {
        Object value = paths[i].get(doc);
        if (!config.target.key().contains(paths[i].toString())
            && (value != null || !config.target.omitsNulls())) {
          sets.add(Updates.set(paths[i].toString(), value));
        }
      }
      return new UpdateOneModel<>(filter, Updates.combine(sets),
          new UpdateOptions().upsert(true));
    }

    /**
     * Sets the non-NULL fields of the row where the document has them NULL or absent. The filter
     * is one plain document (key fields, then {@code field: null}), which servers match by the
     * key's index.
     */
    private WriteModel<Document> fillNulls(Document doc) {
      Document filter = new Document();
      for (String k : config.target.key()) {
        filter.append(k, FieldPath.of(k).get(doc));
      }
      List<Bson> sets = new ArrayList<>();
      for (FieldPath path : paths) {
        Object value = path.get(doc);
        if (value != null && !config.target.key().contains(path.toString())) {
          sets.add(Updates.set(path.toString(), value));
          filter.append(path.toString(), null);
        }
      }
      return new UpdateOneModel<>(filter, Updates.combine(sets),
          new UpdateOptions().upsert(false));
    }

    private DeadLetter deadLetter(Record source, String field, String reason) {
      Object[] key = new Object[sourceKeyIndexes.length];
      for (int i = 0; i < key.length; i++) {
        key[i] = source.get(sourceKeyIndexes[i]);
      }
      String readable = KeyCodec.readable(config.sourceKeyColumns, key);
      return new DeadLetter(readable, DeadLetter.Stage.WRITE, field, "collection "
          + config.target.collectionName() + ", key " + readable + ": " + reason,
          RowJson.render(config.sourceLayout, source.values()));
    }

    /** Advances the range's checkpoint, then any later chunks of it that were waiting. */
    private void checkpoint(MongoDatabase db, Checkpoint mine) {
      CheckpointSequencer.Store<RuntimeException> store =
          new CheckpointSequencer.Store<RuntimeException>() {
            @Override
            public boolean advance(Checkpoint c) {
              return MongoProgressStore.advance(db, config.job, config.fingerprint, c);
            }

            @Override
            public long currentSeq(int range) {
              return MongoProgressStore.seq(db, config.job, config.fingerprint, range);
            }
          };
      if (!store.advance(mine)) {
        sequencer.park(mine);
      }
      sequencer.applyWaiting(mine.range(), store);
    }
  }

  /** A row that cannot be written, and the field at fault (null: the row as a whole). */
  private static final class FieldException extends Exception {
    private static final long serialVersionUID = 1L;
    final String field;

    FieldException(String field, String message) {
      super(message);
      this.field = field;
    }
  }
}
