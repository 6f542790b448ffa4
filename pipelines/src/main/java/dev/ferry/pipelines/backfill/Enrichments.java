package dev.ferry.pipelines.backfill;

import com.mongodb.MongoException;
import dev.ferry.enrich.EnrichChunks;
import dev.ferry.enrich.Lookup;
import dev.ferry.enrich.ReadLookupCollection;
import dev.ferry.enrich.ReadLookupTable;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.LookupRule;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.spec.QualifiedName;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Plans the lookups of a job's mapping ({@code mapping.lookups}) at pipeline construction: each
 * lookup table or collection is described and its key ranges planned, its rule checked against
 * the rows it enriches, and its row count estimated for the choice of strategy ({@code strategy:
 * auto}: a side input up to {@code sideInputMaxRows}, a CoGroupByKey above, always a side input
 * on the DirectRunner; see {@link EnrichChunks#withAutomaticStrategy}). Lookups run in the order
 * given, so a later one may join on a column an earlier one filled.
 */
public final class Enrichments {
  private Enrichments() {}

  /** {@code p} with a step per lookup after the mapping, and the columns they leave. */
  public static JobPlan plan(BackfillConfig config, JobPlan p)
      throws SQLException {
    List<LookupRule> rules = config.mapping.lookups;
    Layout rows = p.mapper().targetLayout();
    for (int i = 0; i < rules.size(); i++) {
      LookupRule rule = rules.get(i);
      String field = "mapping.lookups[" + i + "]";
      try {
        Lookup.check(rule);
      } catch (IllegalArgumentException e) {
        throw new SpecException(config.origin, field, e.getMessage());
      }
      Planned planned = rule.table != null
          ? table(config, rule, field, rows) : collection(config, rule, field, rows);
      EnrichChunks enrich = EnrichChunks.with(planned.lookup, planned.reader, p.sourceLayout(),
          p.sourceKeyColumns(), p.sourceName());
      p = p.withStep("Lookup" + (i + 1) + "." + rule.displayName().replaceAll(
          "[^A-Za-z0-9_.]", "_"), rule.strategy.equals("auto")
              ? enrich.withAutomaticStrategy(planned.rows,
                  config.stepOutputsInMemory ? Long.MAX_VALUE : rule.sideInputMaxRows)
              : enrich.withStrategy(rule.strategy.equals("join") ? Lookup.Strategy.JOIN
                  : Lookup.Strategy.SIDE_INPUT));
      rows = planned.lookup.outputLayout();
    }
    return rules.isEmpty() ? p : p.withEnrichedLayout(rows);
  }

  /** A compiled lookup, the transform that reads its rows, and their estimated count. */
  private static final class Planned {
    Lookup lookup;
    PTransform<PBegin, PCollection<KV<String, Record>>> reader;
    long rows;
  }

  private static Planned table(BackfillConfig config, LookupRule rule, String field,
      Layout rows) throws SQLException {
    JdbcEndpoint at = rule.database.equals("target") ? config.target : config.source;
    if (at == null) {
      throw new SpecException(config.origin, field + ".table", "the " + rule.database
          + " is MongoDB: look up a collection there");
    }
    List<String> table;
    Layout columns;
    try {
      table = QualifiedName.parse(rule.table);
      columns = ReadLookupTable.describe(at, table);
    } catch (IllegalArgumentException | SQLException e) {
      throw new SpecException(config.origin, field + ".table", "cannot be read at " + at + ": "
          + at.redact(e.getMessage()));
    }
    Planned p = new Planned();
    p.lookup = compile(config, rule, field, rows, columns);
    ReadLookupTable reader = ReadLookupTable.plan(at, table, p.lookup, config.partitions);
    p.reader = reader;
    p.rows = reader.estimatedRows();
    return p;
  }

  private static Planned collection(BackfillConfig config, LookupRule rule, String field,
      Layout rows) {
    MongoEndpoint at = rule.database.equals("target") ? config.mongo.targetEndpoint
        : config.mongo.source == null ? null : config.mongo.source.endpoint();
    if (at == null) {
      throw new SpecException(config.origin, field + ".collection", "the " + rule.database
          + " is not MongoDB: look up a table there");
    }
    List<String> fields = new ArrayList<>(rule.keyColumns());
    for (LookupRule.Output out : rule.columns) {
      fields.add(out.source());
    }
    try {
      Planned p = new Planned();
      p.lookup = compile(config, rule, field, rows, ReadLookupCollection.describe(at,
          rule.collection, fields));
      ReadLookupCollection reader = ReadLookupCollection.plan(at, rule.collection, p.lookup,
          config.partitions);
      p.reader = reader;
      p.rows = reader.estimatedRows();
      return p;
    } catch (MongoException | IllegalArgumentException e) {
      throw new SpecException(config.origin, field + ".collection", "cannot be read at " + at
          + ": " + at.redact(e.getMessage()));
    }
  }

  private static Lookup compile(BackfillConfig config, LookupRule rule, String field,
      Layout rows, Layout columns) {
    try {
      return Lookup.compile(rule, rows, columns);
    } catch (IllegalArgumentException e) {
      throw new SpecException(config.origin, field, e.getMessage());
    }
  }
}
