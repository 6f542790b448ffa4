package dev.ferry.pipelines.deadletters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.map.MapChunks;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.Counters;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.progress.DeadLetterStore;
import dev.ferry.progress.ProgressStore;
import dev.ferry.reconcile.KeyLookup;
import dev.ferry.reconcile.ReconcileSide;
import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkCoder;
import dev.ferry.record.Column;
import dev.ferry.record.Record;
import dev.ferry.write.WriteChunks;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries open dead letters after the source or the mapping was fixed: reads only their source
 * rows again, by key, and sends them through the backfill's own mapping, lookups and writer,
 * under the job and plan fingerprint that dead-lettered them, so a row rejected again replaces
 * its dead letter with the new reason. Once the pipeline finished, the dead letters whose row
 * was written (or is gone from the source) are removed. The retry is logged in the run log
 * (kind {@code retry}); it advances no range's checkpoint, as it reads no range.
 */
final class DeadLetterRetry {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRetry.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REASONS_SHOWN = 5;

  private final BackfillConfig config;
  private final PipelineOptions options;
  private final DeadLetterStore store;
  private final String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .format(ZonedDateTime.now(ZoneOffset.UTC)) + "-retry-"
      + UUID.randomUUID().toString().substring(0, 8);

  DeadLetterRetry(BackfillConfig config, PipelineOptions options, DeadLetterStore store) {
    this.config = config;
    this.options = options;
    this.store = store;
  }

  /** Retries the open dead letters of {@code keys} (null: all open ones of the job). */
  DeadLetterReport.Retry run(List<String> keys) throws Exception {
    DeadLetterReport.Retry out = new DeadLetterReport.Retry();
    out.runId = runId;
    Map<String, Set<String>> byFingerprint = new LinkedHashMap<>();
    for (DeadLetterStore.Entry e : store.list(config.job)) {
      if (!e.accepted() && (keys == null || keys.contains(e.rowKey))) {
        byFingerprint.computeIfAbsent(e.fingerprint, f -> new LinkedHashSet<>()).add(e.rowKey);
      }
    }
    if (byFingerprint.isEmpty()) {
      return out;
    }
    JobPlan p = BackfillPipeline.prepareCopy(config);
    if (p.readsCollection() || !p.writesTable()) {
      throw new SpecException(config.origin, "source", "dead letters are retried from a JDBC"
          + " source into a JDBC target only");
    }
    KeyLookup lookup = new KeyLookup(ReconcileSide.source(config.source, p.relation(), p.mapper(),
        p.relation().keyColumns()).withZeroDatesAsNull(config.zeroDatesAsNull));
    ProgressStore runLog = new ProgressStore(config.target, config.stateSchema);
    int groups = 0;
    for (Map.Entry<String, Set<String>> group : byFingerprint.entrySet()) {
      String fingerprint = group.getKey();
      // One logged run per plan fingerprint (a backfill's, a catch-up's), each id unique.
      String groupRunId = groups++ == 0 ? runId : runId + "-" + groups;
      List<String> rowKeys = new ArrayList<>();
      List<Object[]> keyValues = new ArrayList<>();
      for (String rowKey : group.getValue()) {
        Object[] values = keyValues(rowKey, p);
        if (values == null) {
          out.reasons.add(rowKey + ": a key with NULL cannot be read by key; accept it or"
              + " re-run the backfill with --restart");
          continue;
        }
        rowKeys.add(rowKey);
        keyValues.add(values);
      }
      List<Object[]> rows = lookup.readRows(keyValues);
      out.keys += rowKeys.size();
      out.rowsRead += rows.size();
      out.goneFromSource += Math.max(0, rowKeys.size() - rows.size());
      runLog.startRun(config.job, groupRunId, fingerprint, "retry", null);
      long[] written = rows.isEmpty() ? new long[2] : write(p, fingerprint, groupRunId, rows);
      out.rowsWritten += written[0];
      out.rejectedAgain += written[1];
      runLog.finishRun(config.job, groupRunId, "succeeded", null, rows.size(), written[0],
          written[1]);
      out.removed += store.removeResolved(config.job, fingerprint, rowKeys, groupRunId);
    }
    for (DeadLetterStore.Entry e : store.list(config.job)) {
      if (e.runId.startsWith(runId) && out.reasons.size() < REASONS_SHOWN) {
        out.reasons.add(e.rowKey + " " + e.stage + (e.column == null ? "" : " " + e.column)
            + ": " + e.error);
      }
    }
    LOG.info("{}: retried {} dead-lettered keys: {} written, {} rejected again, {} gone from"
        + " the source", config.job, out.keys, out.rowsWritten, out.rejectedAgain,
        out.goneFromSource);
    return out;
  }

  /** Maps and writes {@code rows} as the backfill does; returns rows written and dead-lettered. */
  private long[] write(JobPlan p, String fingerprint, String groupRunId,
      List<Object[]> rows) {
    List<Chunk> chunks = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += config.batchSize) {
      List<Record> records = new ArrayList<>();
      for (Object[] row : rows.subList(from, Math.min(rows.size(), from + config.batchSize))) {
        records.add(new Record(row));
      }
      // Not part of a planned range: no range's checkpoint moves.
      chunks.add(new Chunk(-1, 1, true, null, records.size(), records, null, List.of()));
    }
    String step = "Retry." + p.targetName().replaceAll("[^A-Za-z0-9_.]", "_");
    Pipeline pipeline = Pipeline.create(options);
    PCollection<Chunk> mapped = pipeline
        .apply(step + ".Rows", Create.of(chunks).withCoder(ChunkCoder.of()))
        .apply(step + ".Map", MapChunks.with(p.mapper(), p.sourceKeyColumns(), p.sourceName()));
    for (Map.Entry<String, PTransform<PCollection<Chunk>, PCollection<Chunk>>> s
        : p.afterMap().entrySet()) {
      mapped = mapped.apply(step + "." + s.getKey(), s.getValue());
    }
    mapped.apply(step + ".Upsert", WriteChunks.into(config.target, p.table(), p.sourceLayout(),
            p.sourceKeyColumns())
        .forJob(config.job, fingerprint, groupRunId)
        .withStateSchema(config.stateSchema)
        .withRowStatement(p.statement()));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return new long[] {Counters.total(result, WriteChunks.class, "rowsWritten"),
        Counters.total(result, WriteChunks.class, "rowsDeadLettered")};
  }

  /** The source key values of a dead letter's row key, in key order; null when one is NULL. */
  private Object[] keyValues(String rowKey, JobPlan p) throws IOException {
    JsonNode key = JSON.readTree(rowKey);
    List<String> names = p.relation().keyColumns();
    Object[] values = new Object[names.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode v = key.get(names.get(i));
      if (v == null || v.isNull()) {
        return null;
      }
      Column column = p.sourceLayout().column(p.sourceLayout().indexOf(names.get(i)));
      values[i] = value(v, column);
    }
    return values;
  }

  /** A key value as the dead letter rendered it (dev.ferry.record.RowJson), back in Java. */
  private static Object value(JsonNode v, Column column) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return new BigDecimal(v.asText());
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    String text = v.asText();
    if (column.isBinary() && text.startsWith("base64:")) {
      return Base64.getDecoder().decode(text.substring("base64:".length()));
    }
    return text;
  }
}
