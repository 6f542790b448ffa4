package dev.ferry.write;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkSink;
import dev.ferry.record.Layout;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Upserts mapped chunks into a JDBC target and advances each range's checkpoint in the same
 * transaction.
 *
 * <p>Delivery: at-least-once writes made exactly-once in effect by the idempotent upsert
 * ({@link UpsertSql}); a checkpoint never runs ahead of committed rows. Each chunk is one
 * transaction holding its rows, its dead letters and its checkpoint.
 *
 * <p>Why not {@code JdbcIO.write()}: it cannot isolate the one row of a batch that the target
 * rejects (the whole batch fails and is retried forever), and it cannot commit a checkpoint with
 * the rows. This step runs the same kind of batched upsert, and when a batch fails on a data
 * error it rolls back to a savepoint and splits the batch in halves until the bad rows are found;
 * those go to the dead-letter table with the database's reason, the rest are written. Transient
 * errors (the server restarting, a dropped connection, deadlocks) are retried with backoff on a
 * new connection; any other error (missing table, no permission) stops the job.
 */
public final class WriteChunks extends PTransform<PCollection<Chunk>, PDone> {
  private final WriteConfig config;

  private WriteChunks(WriteConfig config) {
    this.config = config;
  }

  /**
   * @param sourceLayout the columns of the source rows, for dead-letter rendering
   * @param sourceKeyColumns the source key, for naming rows in dead letters
   */
  public static WriteChunks into(JdbcEndpoint endpoint, TargetTable table, Layout sourceLayout,
      List<String> sourceKeyColumns) {
    return new WriteChunks(new WriteConfig(Objects.requireNonNull(endpoint, "endpoint"),
        Objects.requireNonNull(table, "table"), sourceLayout, List.copyOf(sourceKeyColumns),
        List.of(), null, null, "", 8, RowStatement.upsert()));
  }

  /** The job whose progress this write advances: name, spec fingerprint and run id. */
  public WriteChunks forJob(String job, String fingerprint, String runId) {
    return new WriteChunks(config.withJob(job, fingerprint, runId));
  }

  /** Schema of the ferry_* state tables (default: the connection's default schema). */
  public WriteChunks withStateSchema(List<String> schema) {
    return new WriteChunks(config.withStateSchema(schema));
  }

  /** Runs {@code statement} for each row instead of the default {@link RowStatement#upsert()}. */
  public WriteChunks withRowStatement(RowStatement statement) {
    return new WriteChunks(config.withStatement(Objects.requireNonNull(statement, "statement")));
  }

  public WriteChunks withMaxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    return new WriteChunks(config.withMaxAttempts(attempts));
  }

  @Override
  public PDone expand(PCollection<Chunk> chunks) {
    chunks.apply("UpsertChunk", ParDo.of(new WriteChunkFn(requireJob())));
    return PDone.in(chunks.getPipeline());
  }

  /**
   * This write as a {@link ChunkSink}: each chunk is written, with its checkpoint, in one
   * transaction before the sink returns; the guarantees are the transform's.
   */
  public ChunkSink asSink() {
    return new WriteThen(new WriteChunkFn(requireJob()));
  }

  private WriteConfig requireJob() {
    if (config.job == null) {
      throw new IllegalStateException("WriteChunks needs forJob(job, fingerprint, runId)");
    }
    return config;
  }

  /** Writes each chunk it is handed. */
  private static final class WriteThen implements ChunkSink {
    private static final long serialVersionUID = 1L;
    private final WriteChunkFn write;

    WriteThen(WriteChunkFn write) {
      this.write = write;
    }

    @Override
    public void setup() {
      write.setup();
    }

    @Override
    public void accept(Chunk chunk) throws Exception {
      write.process(chunk);
    }

    @Override
    public void teardown() {
      write.teardown();
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("target", config.endpoint.toString()))
        .add(DisplayData.item("table", config.table.displayName()))
        .add(DisplayData.item("job", config.job == null ? "" : config.job));
  }

  /** Immutable settings shared with the DoFn. */
  static final class WriteConfig implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final JdbcEndpoint endpoint;
    final TargetTable table;
    final Layout sourceLayout;
    final List<String> sourceKeyColumns;
    final List<String> stateSchema;
    final String job;
    final String fingerprint;
    final String runId;
    final int maxAttempts;
    final RowStatement statement;

    WriteConfig(JdbcEndpoint endpoint, TargetTable table, Layout sourceLayout,
        List<String> sourceKeyColumns, List<String> stateSchema, String job, String fingerprint,
        String runId, int maxAttempts, RowStatement statement) {
      this.endpoint = endpoint;
      this.table = table;
      this.sourceLayout = sourceLayout;
      this.sourceKeyColumns = sourceKeyColumns;
      this.stateSchema = stateSchema;
      this.job = job;
      this.fingerprint = fingerprint;
      this.runId = runId;
      this.maxAttempts = maxAttempts;
      this.statement = statement;
    }

    WriteConfig withJob(String job, String fingerprint, String runId) {
      return new WriteConfig(endpoint, table, sourceLayout, sourceKeyColumns, stateSchema,
          Objects.requireNonNull(job), Objects.requireNonNull(fingerprint),
          Objects.requireNonNull(runId), maxAttempts, statement);
    }

    WriteConfig withStateSchema(List<String> schema) {
      return new WriteConfig(endpoint, table, sourceLayout, sourceKeyColumns, List.copyOf(schema),
          job, fingerprint, runId, maxAttempts, statement);
    }

    WriteConfig withMaxAttempts(int attempts) {
      return new WriteConfig(endpoint, table, sourceLayout, sourceKeyColumns, stateSchema, job,
          fingerprint, runId, attempts, statement);
    }

    WriteConfig withStatement(RowStatement rowStatement) {
      return new WriteConfig(endpoint, table, sourceLayout, sourceKeyColumns, stateSchema, job,
          fingerprint, runId, maxAttempts, rowStatement);
    }
  }
}
