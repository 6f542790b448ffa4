package dev.ferry.pipelines.job;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.MapChunks;
import dev.ferry.map.RecordMapper;
import dev.ferry.mongo.CollectionSource;
import dev.ferry.plan.SourceRelation;
import dev.ferry.read.RangeTask;
import dev.ferry.read.ReadRanges;
import dev.ferry.record.Chunk;
import dev.ferry.record.Layout;
import dev.ferry.write.CopyPassThrough;
import dev.ferry.write.RowStatement;
import dev.ferry.write.TargetTable;
import dev.ferry.write.WriteChunks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a job's source and target look like, checked against the mapping before any work: the
 * plan every job is composed from. The profile, dry run and reconcile use its source side; the
 * backfill, fill and a retry of dead letters also its steps and target. Immutable: each
 * preparation step returns a new plan ({@code withX}).
 *
 * @param source what is read
 * @param sourceLayout the source's columns
 * @param mapper the mapping from source to target columns
 * @param afterMap steps between mapping and writing, by step name, in order (lookups, a fill's
 *     own)
 * @param enrichedLayout the rows' columns after {@code afterMap}; null: the mapping's
 * @param target where rows are written; null until the target is described (a plan of the
 *     source alone)
 * @param statement what the writer runs for each row
 * @param kind a variant's kind for the run log ("fill"), which also sets its runs apart; null:
 *     a copy
 */
public record JobPlan(JobSource source, Layout sourceLayout, RecordMapper mapper,
    Map<String, PTransform<PCollection<Chunk>, PCollection<Chunk>>> afterMap,
    Layout enrichedLayout, JobTarget target, RowStatement statement, String kind) {
  private static final Logger LOG = LoggerFactory.getLogger(JobPlan.class);

  public JobPlan {
    afterMap = Collections.unmodifiableMap(new LinkedHashMap<>(afterMap));
  }

  /** The plan of a source alone: no steps after the mapping, no target yet, upserts. */
  public static JobPlan of(JobSource source, Layout sourceLayout, RecordMapper mapper) {
    return new JobPlan(source, sourceLayout, mapper, Map.of(), null, null,
        RowStatement.upsert(), null);
  }

  public JobPlan withSource(JobSource value) {
    return new JobPlan(value, sourceLayout, mapper, afterMap, enrichedLayout, target, statement,
        kind);
  }

  /** This plan with {@code step} appended after the mapping (and the steps before it). */
  public JobPlan withStep(String name, PTransform<PCollection<Chunk>, PCollection<Chunk>> step) {
    Map<String, PTransform<PCollection<Chunk>, PCollection<Chunk>>> steps =
        new LinkedHashMap<>(afterMap);
    steps.put(name, step);
    return new JobPlan(source, sourceLayout, mapper, steps, enrichedLayout, target, statement,
        kind);
  }

  public JobPlan withEnrichedLayout(Layout value) {
    return new JobPlan(source, sourceLayout, mapper, afterMap, value, target, statement, kind);
  }

  public JobPlan withTarget(JobTarget value) {
    return new JobPlan(source, sourceLayout, mapper, afterMap, enrichedLayout, value, statement,
        kind);
  }

  public JobPlan withStatement(RowStatement value) {
    return new JobPlan(source, sourceLayout, mapper, afterMap, enrichedLayout, target, value,
        kind);
  }

  public JobPlan withKind(String value) {
    return new JobPlan(source, sourceLayout, mapper, afterMap, enrichedLayout, target, statement,
        value);
  }

  /** Whether the source is a MongoDB collection (else a JDBC relation). */
  public boolean readsCollection() {
    return source instanceof JobSource.Collection;
  }

  /** Whether the target is a JDBC table (else a collection, or none described yet). */
  public boolean writesTable() {
    return target instanceof JobTarget.Table;
  }

  /** The JDBC relation read; for jobs and steps that only read tables. */
  public SourceRelation relation() {
    if (source instanceof JobSource.Relation r) {
      return r.relation();
    }
    throw new IllegalStateException(source.name() + " is a collection, not a table or query");
  }

  /** The MongoDB collection read; for steps that only read collections. */
  public CollectionSource collection() {
    if (source instanceof JobSource.Collection c) {
      return c.collection();
    }
    throw new IllegalStateException(source.name() + " is a table or query, not a collection");
  }

  /** The JDBC target table; for jobs and steps that only write tables. */
  public TargetTable table() {
    if (target instanceof JobTarget.Table t) {
      return t.table();
    }
    throw new IllegalStateException(target == null ? "no target described"
        : target.name() + " is a collection, not a table");
  }

  /** The columns of the rows as the mapping and any lookups leave them. */
  public Layout outputLayout() {
    return enrichedLayout != null ? enrichedLayout : mapper.targetLayout();
  }

  public List<String> sourceKeyColumns() {
    return source.keyColumns();
  }

  public String sourceName() {
    return source.name();
  }

  public String targetName() {
    return target.name();
  }

  public List<String> targetKey() {
    return target.key();
  }

  /**
   * Whether rows go from source to {@code table} as COPY text, never parsed ({@link
   * CopyPassThrough}): a plain copy of a table with a mapping that changes nothing, no lookups
   * and no catch-up filter, into a target with the source's own columns. Logs the choice.
   */
  public boolean copiesAsText(JdbcEndpoint sourceAt, JdbcEndpoint targetAt, TargetTable table,
      boolean since) {
    String refusal = kind != null || !afterMap.isEmpty() || !statement.insertsRows()
        ? "rows are changed on the way"
        : !(source instanceof JobSource.Relation r) || table == null ? "not a table to a table"
        : !mapper.isIdentity() ? "the mapping has rules" : since ? "a catch-up run"
        : CopyPassThrough.refusal(sourceAt, sourceLayout, r.relation().keyColumns(), targetAt,
            table);
    if (refusal == null) {
      LOG.info("{}: rows pass from COPY to COPY as text (same columns on both sides)",
          sourceName());
    } else {
      LOG.info("{}: rows are read as values ({})", sourceName(), refusal);
    }
    return refusal == null;
  }

  /** Whether {@link #copyInOneStep} applies: a table into a table, with no lookups. */
  public boolean copiesInOneStep() {
    return source instanceof JobSource.Relation && target instanceof JobTarget.Table
        && afterMap.isEmpty();
  }

  /**
   * Reads the tasks' ranges, maps the rows and writes them in one step, {@code <step>.Copy}
   * ({@link ReadRanges#into}), and returns the step's name. On the DirectRunner, which runs
   * separate steps one after another, this lets one range's writing overlap another's
   * reading, and keeps read chunks from piling up in memory; other runners fuse the steps
   * anyway.
   */
  public String copyInOneStep(PCollection<RangeTask> tasks, String step, ReadRanges read,
      WriteChunks write) {
    String name = step + ".Copy";
    tasks.apply(name, read.into(MapChunks.with(mapper, sourceKeyColumns(), sourceName())
        .then(write.asSink())));
    return name;
  }
}
