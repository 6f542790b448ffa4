package dev.ferry.pipelines.fill;

import dev.ferry.fill.FillNullsStatement;
import dev.ferry.fill.FillRows;
import dev.ferry.jdbc.Dialect;
import dev.ferry.map.ColumnRule;
import dev.ferry.map.LookupRule;
import dev.ferry.mongo.CollectionSource;
import dev.ferry.mongo.CollectionTarget;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.backfill.Enrichments;
import dev.ferry.pipelines.backfill.MongoBackfill;
import dev.ferry.pipelines.job.JobMain;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.job.JobSource;
import dev.ferry.pipelines.job.JobTarget;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.plan.SourceRelation;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import dev.ferry.write.TargetTable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;

/**
 * The in-place fill: gives a column of an existing table (or a field of a MongoDB collection) a
 * value in every row where it is still NULL (or absent), computed by the mapping from the same
 * row and/or by a lookup, in key-range batches.
 *
 * <pre>
 * java -cp ferry-direct.jar dev.ferry.pipelines.fill.FillPipeline --spec=fill.yaml
 * </pre>
 *
 * <p>It is a backfill whose source is the table itself, restricted to rows with an empty column
 * to fill, and whose writer runs {@code UPDATE … SET c = COALESCE(c, ?) WHERE key = ? AND c IS
 * NULL} instead of an upsert ({@link FillNullsStatement}). So it plans, reads, maps, throttles,
 * checkpoints and resumes exactly as the backfill does: each chunk of {@code batchSize} rows is
 * one short transaction holding its row locks and its checkpoint; a killed run resumes after the
 * last committed chunk of each range; a re-run reads the rows still empty and changes nothing
 * that has a value.
 */
public final class FillPipeline {
  private FillPipeline() {}

  public static void main(String[] args) {
    System.exit(run(args).exitCode);
  }

  /** Parses flags, runs, prints the summary; never throws for a failed run (see exit code). */
  public static RunSummary run(String[] args) {
    return JobMain.run(args, FillOptions.class, FillPipeline::run,
        message -> BackfillPipeline.invalid("flags", message));
  }

  public static RunSummary run(FillOptions options, Secrets secrets) {
    return BackfillPipeline.run(options, secrets, new Fill(options));
  }

  /** The fill as a variant of the backfill's run. */
  private static final class Fill implements BackfillPipeline.Variant {
    private final FillOptions options;

    Fill(FillOptions options) {
      this.options = options;
    }

    @Override
    public BackfillConfig configure(BackfillOptions flags, Secrets secrets) {
      BackfillConfig config = BackfillConfig.fromWithTargetDefaultingToSource(flags, secrets);
      if (config.sourceQuery != null) {
        throw new SpecException(config.origin, "source.query", "a fill updates a table: name"
            + " source.table");
      }
      if (config.sinceColumn != null) {
        throw new SpecException(config.origin, "since", "a fill has no catch-up: every run"
            + " reads only the rows whose columns are still empty");
      }
      if (columns(config).isEmpty()) {
        throw new SpecException(config.origin, "fill.columns", "required: the column(s) to fill"
            + " where they are NULL");
      }
      return config;
    }

    private List<String> columns(BackfillConfig config) {
      if (options.getFillColumns() == null) {
        return config.fillColumns;
      }
      List<String> columns = new ArrayList<>();
      for (String c : options.getFillColumns().split(",")) {
        if (!c.isBlank()) {
          columns.add(c.trim());
        }
      }
      return columns;
    }

    @Override
    public JobPlan prepare(BackfillConfig config) throws SQLException {
      boolean mongoSource = config.mongo.source != null;
      if (mongoSource != (config.mongo.targetEndpoint != null)) {
        throw new SpecException(config.origin, "target", "a fill updates what it reads: source"
            + " and target must both be MongoDB or both be JDBC");
      }
      return mongoSource ? prepareCollection(config, columns(config))
          : prepareTable(config, columns(config));
    }

    private JobPlan prepareTable(BackfillConfig config, List<String> fill)
        throws SQLException {
      JobPlan p = BackfillPipeline.prepareSource(config);
      List<String> key = p.relation().keyColumns();
      check(config, p, fill);
      p = Enrichments.plan(config, p);
      p = p.withStep("KeepCellsToFill", FillRows.of(p.sourceLayout(), key, p.outputLayout(),
          fill));
      List<String> written = new ArrayList<>(key);
      written.addAll(fill);
      TargetTable table;
      try {
        table = TargetTable.describe(config.target, config.targetTable, written, key);
        table.requireUniqueKey(config.target);
      } catch (IllegalArgumentException e) {
        throw new SpecException(config.origin, "source.key", e.getMessage());
      }
      return p.withSource(new JobSource.Relation(SourceRelation.query(emptyCells(
              config.source.dialect(), config.sourceTable, fill), key)))
          .withTarget(new JobTarget.Table(table))
          .withStatement(FillNullsStatement.INSTANCE)
          .withKind("fill");
    }

    /**
     * A collection: the documents where a field to fill is NULL or absent, read with the fields
     * to fill among their columns even when no sampled document has them yet, and written with
     * {@code updateOne} filtered on those fields still being NULL ({@link
     * CollectionTarget.Mode#FILL_NULLS}).
     */
    private JobPlan prepareCollection(BackfillConfig config, List<String> fill)
        throws SQLException {
      List<String> empty = new ArrayList<>();
      for (String f : fill) {
        empty.add(new Document(f, null).toJson());
      }
      CollectionSource source = config.mongo.source.andFilter("{\"$or\": [" + String.join(", ",
          empty) + "]}");
      JobPlan p = MongoBackfill.prepareSource(config, source);
      List<String> fields = new ArrayList<>(p.sourceLayout().names());
      for (String f : fill) {
        if (!fields.contains(f)) {
          fields.add(f);
        }
      }
      if (fields.size() > p.sourceLayout().size()) {
        p = MongoBackfill.prepareSource(config, source.withFields(fields));
      }
      String key = p.collection().key();
      check(config, p, fill);
      p = Enrichments.plan(config, p);
      p = p.withStep("KeepCellsToFill", FillRows.of(p.sourceLayout(), List.of(key),
          p.outputLayout(), fill));
      List<Column> written = new ArrayList<>();
      written.add(p.sourceLayout().column(p.sourceLayout().indexOf(key)));
      for (String f : fill) {
        written.add(p.outputLayout().column(p.outputLayout().indexOf(f)));
      }
      return p.withEnrichedLayout(new Layout(written))
          .withTarget(new JobTarget.Collection(CollectionTarget.of(config.mongo.targetEndpoint,
              config.mongo.targetCollection).withKey(List.of(key))
              .withMode(CollectionTarget.Mode.FILL_NULLS)))
          .withKind("fill");
    }

    /** Every column to fill exists, is not the key, and gets its value from a rule or lookup. */
    private static void check(BackfillConfig config, JobPlan p,
        List<String> fill) {
      Set<String> filled = new HashSet<>();
      for (ColumnRule rule : config.mapping.columns) {
        filled.add(rule.name);
      }
      for (LookupRule lookup : config.mapping.lookups) {
        for (LookupRule.Output out : lookup.columns) {
          filled.add(out.name);
        }
      }
      for (String c : fill) {
        if (!p.sourceLayout().has(c)) {
          throw new SpecException(config.origin, "fill.columns", "no column '" + c + "' in "
              + p.sourceName() + " (columns: " + p.sourceLayout().names() + ")");
        }
        if (p.sourceKeyColumns().contains(c)) {
          throw new SpecException(config.origin, "fill.columns", "'" + c + "' is part of the"
              + " key; a fill never changes a key");
        }
        if (!filled.contains(c)) {
          throw new SpecException(config.origin, "fill.columns", "nothing gives '" + c + "' a"
              + " value: add a mapping rule {name: " + c + ", …} or a lookup that fills it");
        }
      }
    }

    /**
     * The rows that still have work: every column (in table order, as described), only where a
     * column to fill is NULL. Planning and reading wrap it as a derived table, which both engines
     * merge into their range scans on the key.
     */
    private static String emptyCells(Dialect dialect, List<String> table, List<String> fill) {
      List<String> empty = new ArrayList<>();
      for (String c : fill) {
        empty.add(dialect.quote(c) + " IS NULL");
      }
      return "SELECT * FROM " + dialect.quoteQualified(table) + " WHERE "
          + String.join(" OR ", empty);
    }
  }
}
