package dev.ferry.pipelines.enrich;

import dev.ferry.enrich.EnrichChunks;
import dev.ferry.enrich.Lookup;
import dev.ferry.enrich.ReadLookupTable;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.LookupRule;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.spec.QualifiedName;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.record.Layout;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans the lookups of a job's mapping ({@code mapping.lookups}) at pipeline construction: each
 * lookup table is described and its key ranges planned, its rule checked against the rows it
 * enriches, and its strategy chosen from its estimated row count ({@code strategy: auto}: a
 * side input up to {@code sideInputMaxRows}, a CoGroupByKey above). Lookups run in the order
 * given, so a later one may join on a column an earlier one filled.
 */
public final class Enrichments {
  private static final Logger LOG = LoggerFactory.getLogger(Enrichments.class);

  private Enrichments() {}

  /** Adds a step per lookup to {@code p.afterMap} and sets {@code p.enrichedLayout}. */
  public static void plan(BackfillConfig config, BackfillPipeline.Prepared p)
      throws SQLException {
    List<LookupRule> rules = config.mapping.lookups;
    Layout rows = p.mapper.targetLayout();
    for (int i = 0; i < rules.size(); i++) {
      LookupRule rule = rules.get(i);
      String field = "mapping.lookups[" + i + "]";
      try {
        Lookup.check(rule);
      } catch (IllegalArgumentException e) {
        throw new SpecException(config.origin, field, e.getMessage());
      }
      if (rule.table == null) {
        throw new SpecException(config.origin, field + ".collection", "a MongoDB lookup needs"
            + " a MongoDB source; this job reads " + config.source.dialect());
      }
      JdbcEndpoint at = rule.database.equals("target") ? config.target : config.source;
      List<String> table;
      Layout columns;
      try {
        table = QualifiedName.parse(rule.table);
        columns = ReadLookupTable.describe(at, table);
      } catch (IllegalArgumentException | SQLException e) {
        throw new SpecException(config.origin, field + ".table", "cannot be read at " + at + ": "
            + at.redact(e.getMessage()));
      }
      Lookup lookup;
      try {
        lookup = Lookup.compile(rule, rows, columns);
      } catch (IllegalArgumentException e) {
        throw new SpecException(config.origin, field, e.getMessage());
      }
      ReadLookupTable reader = ReadLookupTable.plan(at, table, lookup, config.partitions);
      Lookup.Strategy strategy = Lookup.strategyFor(rule, reader.estimatedRows());
      LOG.info("{}: {} (about {} rows) joined by {}", config.job, lookup,
          reader.estimatedRows(), strategy == Lookup.Strategy.SIDE_INPUT ? "side input"
              : "CoGroupByKey");
      p.afterMap.put("Lookup" + (i + 1) + "." + rule.table.replaceAll("[^A-Za-z0-9_.]", "_"),
          EnrichChunks.with(lookup, reader, p.sourceLayout, p.relation.keyColumns(),
              p.relation.displayName()).withStrategy(strategy));
      rows = lookup.outputLayout();
    }
    p.enrichedLayout = rules.isEmpty() ? null : rows;
  }
}
