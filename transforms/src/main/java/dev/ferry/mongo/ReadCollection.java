package dev.ferry.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.ferry.plan.KeyRange;
import dev.ferry.read.RangeTask;
import dev.ferry.read.Throttle;
import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkCoder;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.Record;
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
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Reads planned key ranges of a collection as {@link Chunk}s of rows in key order, the same
 * shape {@link dev.ferry.read.ReadRanges} yields for a table, so mapping, writing and
 * checkpointing work the same for both.
 *
 * <pre>{@code
 * PCollection<Chunk> chunks = tasks.apply("Read", ReadCollection.from(source).withChunkSize(1000));
 * }</pre>
 *
 * <p>Why not {@code MongoDbIO.read()}: like {@code JdbcIO}, it emits documents one by one and
 * cannot mark where a range ends, so no writer could record "range r is done up to key k" with
 * the rows; its splits also need server commands ({@code splitVector}, {@code $bucketAuto})
 * that not every server offers (see {@link CollectionRangePlanner}).
 *
 * <p>Each range is one query ({@code filter} and the range's bounds, sorted by key, then
 * {@code _id}); a resumed range continues after its checkpoint. A document that cannot become
 * a row (a value ferry cannot represent, a field outside an inferred layout) is dead-lettered
 * with the collection, its key and the field. A connection lost mid-range is reopened with
 * backoff and the read goes on after the last document emitted.
 */
public final class ReadCollection extends PTransform<PCollection<RangeTask>, PCollection<Chunk>> {
  private final CollectionSource source;
  private final int chunkSize;
  private final double maxRowsPerSecond;
  private final String throttleName;
  private final int maxAttempts;

  private ReadCollection(CollectionSource source, int chunkSize, double maxRowsPerSecond,
      String throttleName, int maxAttempts) {
    this.source = source;
    this.chunkSize = chunkSize;
    this.maxRowsPerSecond = maxRowsPerSecond;
    this.throttleName = throttleName;
    this.maxAttempts = maxAttempts;
  }

  /** Reads {@code source}, which must be {@link CollectionSource#describe described}. */
  public static ReadCollection from(CollectionSource source) {
    Objects.requireNonNull(source, "source").layout();
    return new ReadCollection(source, 1000, 0, "", 8);
  }

  /** Documents per chunk; each chunk becomes one write and one checkpoint. */
  public ReadCollection withChunkSize(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("chunk size must be at least 1, got " + rows);
    }
    return new ReadCollection(source, rows, maxRowsPerSecond, throttleName, maxAttempts);
  }

  /** Caps documents read per second by all readers of {@code jobName} in one JVM (0: none). */
  public ReadCollection withMaxRowsPerSecond(double rowsPerSecond, String jobName) {
    if (rowsPerSecond < 0) {
      throw new IllegalArgumentException("maxRowsPerSecond must not be negative");
    }
    return new ReadCollection(source, chunkSize, rowsPerSecond,
        Objects.requireNonNull(jobName, "jobName"), maxAttempts);
  }

  /** How often a range is retried after a lost connection. */
  public ReadCollection withMaxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    return new ReadCollection(source, chunkSize, maxRowsPerSecond, throttleName, attempts);
  }

  @Override
  public PCollection<Chunk> expand(PCollection<RangeTask> tasks) {
    return tasks.apply("ReadCollectionRange", ParDo.of(new ReadFn(this)))
        .setCoder(ChunkCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("source", source.endpoint().toString()))
        .add(DisplayData.item("collection", source.toString()))
        .add(DisplayData.item("chunkSize", chunkSize));
  }

  private static final class ReadFn extends DoFn<RangeTask, Chunk> {
    private final CollectionSource source;
    private final int chunkSize;
    private final double maxRowsPerSecond;
    private final String throttleName;
    private final int maxAttempts;
    private final Counter rowsRead = Metrics.counter(ReadCollection.class, "rowsRead");
    private final Counter rowsRejected = Metrics.counter(ReadCollection.class,
        "rowsRejectedOnRead");
    private final Counter readRetries = Metrics.counter(ReadCollection.class, "readRetries");
    private transient MongoClient client;
    private transient DocumentRows rows;
    private transient KeyBounds bounds;

    ReadFn(ReadCollection t) {
      this.source = t.source;
      this.chunkSize = t.chunkSize;
      this.maxRowsPerSecond = t.maxRowsPerSecond;
      this.throttleName = t.throttleName;
      this.maxAttempts = t.maxAttempts;
    }

    @Setup
    public void setup() {
      client = source.endpoint().connect();
      rows = new DocumentRows(source);
      bounds = new KeyBounds(source.key(), source.layout().column(
          source.layout().indexOf(source.key())).typeName());
    }

    @Teardown
    public void teardown() {
      if (client != null) {
        client.close();
      }
    }

    @ProcessElement
    public void process(@Element RangeTask task, OutputReceiver<Chunk> out)
        throws InterruptedException {
      KeyRange range = task.range();
      // Documents of other key types have no order to resume in: that range is read again
      // whole, which the idempotent upsert makes harmless.
      String after = range.nullKeys() ? null : task.afterKey();
      long seq = task.committedSeq();
      Throttle throttle = maxRowsPerSecond > 0
          ? Throttle.shared(throttleName, maxRowsPerSecond) : null;
      Backoff backoff = Backoff.start();
      for (int attempt = 1; ; attempt++) {
        try (MongoCursor<Document> cursor = open(range, after)) {
          List<Record> batch = new ArrayList<>(chunkSize);
          List<DeadLetter> rejected = new ArrayList<>();
          long inBatch = 0;
          String lastKey = null;
          while (cursor.hasNext()) {
            Document d = cursor.next();
            inBatch++;
            lastKey = rows.checkpoint(d);
            DocumentRows.Result r = rows.toRecord(d);
            if (r.record != null) {
              batch.add(r.record);
            } else {
              rejected.add(r.deadLetter);
              rowsRejected.inc();
            }
            if (inBatch == chunkSize) {
              if (throttle != null) {
                throttle.acquire(inBatch);
              }
              out.output(new Chunk(range.index(), ++seq, false, lastKey, inBatch, batch, null,
                  rejected));
              rowsRead.inc(inBatch);
              after = range.nullKeys() ? null : lastKey;
              batch = new ArrayList<>(chunkSize);
              rejected = new ArrayList<>();
              inBatch = 0;
            }
          }
          rowsRead.inc(inBatch);
          out.output(new Chunk(range.index(), ++seq, true, lastKey, inBatch, batch, null,
              rejected));
          return;
        } catch (MongoException e) {
          if (attempt >= maxAttempts || !Transience.isTransient(e)) {
            throw new IllegalStateException("reading " + range + " of " + source + " failed: "
                + source.endpoint().redact(e.getMessage()), e);
          }
          readRetries.inc();
          backoff.pause();
        }
      }
    }

    private MongoCursor<Document> open(KeyRange range, String after) {
      List<Bson> parts = new ArrayList<>(List.of(source.query(), bounds.of(range)));
      if (after != null) {
        parts.add(bounds.after(after));
      }
      Bson order = range.nullKeys() || source.key().equals("_id") ? Sorts.ascending("_id")
          : Sorts.ascending(source.key(), "_id");
      return source.find(source.collection(client), Filters.and(parts)).sort(order)
          .batchSize(Math.min(chunkSize, 10_000)).iterator();
    }
  }
}
