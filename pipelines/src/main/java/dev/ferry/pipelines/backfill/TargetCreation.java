package dev.ferry.pipelines.backfill;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.ColumnRule;
import dev.ferry.map.MappingSpec;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.schema.ColumnConversion;
import dev.ferry.schema.ColumnDef;
import dev.ferry.schema.IndexDef;
import dev.ferry.schema.IndexKind;
import dev.ferry.schema.IndexPart;
import dev.ferry.schema.MappingOptions;
import dev.ferry.schema.MySqlCatalog;
import dev.ferry.schema.MySqlValueConversions;
import dev.ferry.schema.Naming;
import dev.ferry.schema.PostgresDdl;
import dev.ferry.schema.SourceSchema;
import dev.ferry.schema.TableDef;
import dev.ferry.schema.TypeMappingRules;
import dev.ferry.schema.Warning;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code target.create} / {@code --createTarget}: the target table, when it does not exist yet,
 * created with the columns the mapping writes, typed from the source table's MySQL catalog by the
 * schema translation {@code ferry migrate} uses (the same rules, NOT NULL, defaults and ENUM label
 * checks), with the job's target key as its primary key.
 *
 * <p>Left out, because a single-table backfill cannot carry them: AUTO_INCREMENT (the column
 * becomes a plain integer: no sequence is restarted after a backfill, unlike in {@code ferry
 * migrate}), secondary indexes, foreign keys and CHECK constraints. Columns whose values MySQL must
 * convert while reading (SET, geometry, BIT(n)) and columns a mapping computes (constant, concat,
 * cast, custom transform, lookups) have no source type to take, and are refused by name.
 */
final class TargetCreation {
  private static final Logger LOG = LoggerFactory.getLogger(TargetCreation.class);
  private static final Pattern AUTO_INCREMENT = Pattern.compile("(?i)\\bauto_increment\\b");

  private TargetCreation() {}

  /** Creates the target table unless it exists; throws {@link SpecException} naming a column. */
  static void ensure(BackfillConfig config, JobPlan p) throws SQLException {
    if (exists(config.target, config.targetTable)) {
      LOG.info("{}: target table {} exists; target.create leaves it as it is", config.job,
          String.join(".", config.targetTable));
      return;
    }
    SourceSchema catalog;
    try (Connection c = config.source.connect(JdbcEndpoint.Role.SOURCE)) {
      c.setReadOnly(true);
      catalog = config.sourceTable.size() > 1
          ? MySqlCatalog.read(c, config.sourceTable.get(config.sourceTable.size() - 2))
          : MySqlCatalog.read(c);
    }
    String sourceName = config.sourceTable.get(config.sourceTable.size() - 1);
    TableDef source = catalog.table(sourceName).orElseThrow(() -> new SpecException(
        config.origin, "source.table", "no table '" + sourceName + "' in " + catalog.name()));
    List<String> target = config.targetTable;
    TableDef table = new TableDef(target.get(target.size() - 1), source.charset(),
        source.collation(), Optional.empty(), columns(config, p, source), Optional.of(
            new IndexDef("PRIMARY", true, IndexKind.BTREE, BackfillPipeline.targetKey(config, p)
                .stream().map(k -> new IndexPart(k, 0, false)).toList())),
        List.of(), List.of(), List.of());
    MappingOptions options = MappingOptions.defaults().withNaming(Naming.PRESERVE);
    if (target.size() > 1) {
      options = options.withTargetSchema(target.get(target.size() - 2));
    }
    PostgresDdl ddl = PostgresDdl.generate(
        new SourceSchema(catalog.name(), catalog.serverVersion(), List.of(table)),
        TypeMappingRules.defaults(), options);
    refuseReadConversions(config, source, ddl);
    try (Connection c = config.target.connect(JdbcEndpoint.Role.TARGET);
        Statement s = c.createStatement()) {
      if (target.size() > 1) {
        s.execute("CREATE SCHEMA IF NOT EXISTS "
            + Dialect.POSTGRESQL.quote(target.get(target.size() - 2)));
      }
      for (String sql : ddl.beforeLoad()) {
        s.execute(sql);
      }
    }
    LOG.info("{}: created target table {}:\n{}", config.job, String.join(".", target),
        String.join(";\n", ddl.createTables()));
    for (Warning warning : ddl.report().warnings()) {
      LOG.warn("{}: {}", config.job, warning);
    }
  }

  private static boolean exists(JdbcEndpoint target, List<String> table) throws SQLException {
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET);
        PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?)")) {
      ps.setString(1, Dialect.POSTGRESQL.quoteQualified(table));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1) != null;
      }
    }
  }

  /** The source's column definitions under the names the mapping writes them to. */
  private static List<ColumnDef> columns(BackfillConfig config, JobPlan p,
      TableDef source) {
    Map<String, String> sourceOf = new HashMap<>();
    for (String column : p.sourceLayout().names()) {
      String out = p.mapper().outputFor(column);
      if (out != null) {
        sourceOf.putIfAbsent(out, column);
      }
    }
    MappingSpec mapping = TargetNaming.apply(config.mapping, p.sourceLayout(), config.naming);
    Map<String, ColumnRule> rules = new HashMap<>();
    mapping.columns.forEach(r -> rules.put(r.name, r));
    // In the source's column order, as a reader of both tables expects, not the mapping's.
    List<String> outputs = new ArrayList<>(p.outputLayout().names());
    outputs.sort(Comparator.comparingInt(out -> sourceOf.containsKey(out)
        ? p.sourceLayout().indexOf(sourceOf.get(out)) : Integer.MAX_VALUE));
    List<ColumnDef> columns = new ArrayList<>();
    for (String out : outputs) {
      String from = sourceOf.get(out);
      ColumnRule rule = rules.get(out);
      if (from == null || (rule != null && (rule.cast != null || rule.constant != null
          || rule.concat != null)) || mapping.custom != null) {
        throw new SpecException(config.origin, "target.create", "cannot type target column '"
            + out + "': the mapping computes it (constant, concat, cast, custom transform or"
            + " lookup), so no source column gives its type; create the target table yourself");
      }
      ColumnDef def = source.column(from).orElseThrow();
      boolean instant = rule != null && rule.fromZone != null;
      columns.add(new ColumnDef(out,
          instant ? "timestamp" : def.dataType(),
          instant ? def.columnType().replaceFirst("(?i)^datetime", "timestamp") : def.columnType(),
          def.nullable(),
          instant ? Optional.empty() : def.defaultValue(),
          AUTO_INCREMENT.matcher(def.extra()).replaceAll("").strip(),
          def.charset(), def.collation()));
    }
    return columns;
  }

  /** SET, geometry and BIT(n) must be converted while MySQL reads them, which a backfill does not. */
  private static void refuseReadConversions(BackfillConfig config, TableDef source,
      PostgresDdl ddl) {
    for (ColumnConversion c : ddl.conversions().get(0).columns()) {
      if (MySqlValueConversions.expression(c).isPresent()) {
        throw new SpecException(config.origin, "target.create", "column '" + c.sourceColumn()
            + "' (" + c.sourceType() + " -> " + c.targetType() + ") must be converted while"
            + " MySQL reads it (" + c.needs() + "), which a backfill does not do; copy "
            + source.name() + " with ferry migrate --tables=" + source.name() + ", or create"
            + " the target table yourself");
      }
    }
  }
}
