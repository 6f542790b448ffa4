package dev.ferry.pipelines.migrate;

import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.MappingSpec;
import dev.ferry.map.RecordMapper;
import dev.ferry.pipelines.backfill.MappingFile;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.plan.SourceRelation;
import dev.ferry.record.Layout;
import dev.ferry.schema.ColumnConversion;
import dev.ferry.schema.ForeignKeyDef;
import dev.ferry.schema.IdentityRestart;
import dev.ferry.schema.IndexDef;
import dev.ferry.schema.MappingOptions;
import dev.ferry.schema.MySqlCatalog;
import dev.ferry.schema.MySqlObjects;
import dev.ferry.schema.MySqlValueConversions;
import dev.ferry.schema.Naming;
import dev.ferry.schema.PostgresDdl;
import dev.ferry.schema.Rename;
import dev.ferry.schema.SourceObject;
import dev.ferry.schema.SourceSchema;
import dev.ferry.schema.TableConversion;
import dev.ferry.schema.TableDef;
import dev.ferry.schema.Warning;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a migration will do, worked out from the source catalog without changing anything in the
 * target: the tables in load order with their row counts, the PostgreSQL DDL, how each table is
 * read and mapped, and the warnings of the schema translation. Making a plan writes the per-table
 * mapping files (keeping edited ones) and checks every mapping against its table, so that a
 * mistake stops the migration before it starts.
 */
final class MigrationPlan {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationPlan.class);
  /** Tables the server estimates below this many rows are counted exactly. */
  private static final long EXACT_COUNT_LIMIT = 1_000_000;

  final SourceSchema schema;
  final PostgresDdl ddl;
  final List<TableTask> tables;
  final Map<String, MappingFiles.Outcome> mappingOutcomes;
  final Path mappingsDir;
  final List<String> problems;
  final Naming naming;
  /** The source's views, the triggers of the planned tables, and its stored routines. */
  final List<SourceObject> objects;

  private MigrationPlan(SourceSchema schema, PostgresDdl ddl, List<TableTask> tables,
      Map<String, MappingFiles.Outcome> mappingOutcomes, Path mappingsDir,
      List<String> problems, Naming naming, List<SourceObject> objects) {
    this.naming = naming;
    this.objects = List.copyOf(objects);
    this.schema = schema;
    this.ddl = ddl;
    this.tables = List.copyOf(tables);
    this.mappingOutcomes = Map.copyOf(mappingOutcomes);
    this.mappingsDir = mappingsDir;
    this.problems = List.copyOf(problems);
  }

  /**
   * Reads the source catalog, translates it, writes the mapping files and checks them.
   *
   * @throws SpecException when a table named in the flags does not exist
   * @throws dev.ferry.schema.ColumnMappingException when a column's type matches no rule
   * @throws dev.ferry.schema.NameCollisionException when two source objects get one name
   */
  static MigrationPlan make(MigrateSettings settings) throws SQLException {
    try (Connection c = settings.source.connect(JdbcEndpoint.Role.SOURCE)) {
      c.setReadOnly(true);
      SourceSchema all = MySqlCatalog.read(c);
      List<String> unknown = settings.unknownTables(
          all.tables().stream().map(TableDef::name).collect(Collectors.toSet()));
      if (!unknown.isEmpty()) {
        throw new SpecException("flags", "tables", "database " + all.name()
            + " has no table(s) " + unknown);
      }
      SourceSchema schema = new SourceSchema(all.name(), all.serverVersion(),
          all.tables().stream().filter(t -> settings.selected(t.name())).toList());
      PostgresDdl ddl = PostgresDdl.generate(schema, settings.rules, settings.mappingOptions);
      Path dir = settings.mappingsDir(schema.name());
      List<String> order = ddl.loadOrder().tables();
      MappingFiles files = new MappingFiles(dir, order, settings.stateSchema);
      Map<String, TableTask.RowCount> rows = rowCounts(c, schema);
      List<String> problems = new ArrayList<>();
      List<TableTask> tasks = new ArrayList<>();
      for (int i = 0; i < order.size(); i++) {
        TableDef table = schema.table(order.get(i)).orElseThrow();
        TableConversion conversion = ddl.conversion(table.name()).orElseThrow();
        TableTask task = new TableTask(schema.name(), table.name(),
            targetName(settings, conversion), ddl.createTables().get(i), primaryKey(table),
            MySqlValueConversions.sourceQuery(conversion), conversion,
            files.fileOf(table.name()), rows.get(table.name()));
        problems.addAll(keyProblems(task));
        tasks.add(task);
      }
      problems.addAll(zoneProblems(c, settings, tasks));
      Map<String, MappingFiles.Outcome> outcomes = new LinkedHashMap<>();
      for (TableTask task : tasks) {
        outcomes.put(task.sourceTable(), files.write(task, settings.overwrite));
        problems.addAll(mappingProblems(c, task));
      }
      List<SourceObject> objects = MySqlObjects.read(c, schema.name()).stream()
          .filter(o -> o.table().map(settings::selected).orElse(true)).toList();
      NotMigratedFile.write(dir, schema.name(), NotMigratedFile.untranslated(objects));
      LOG.info("planned {} tables of {}: mapping files in {}, {} problems, {} views, triggers"
          + " and routines", tasks.size(), schema.name(), dir, problems.size(), objects.size());
      return new MigrationPlan(schema, ddl, tasks, outcomes, dir, problems,
          settings.mappingOptions.naming(), objects);
    }
  }

  private static List<String> targetName(MigrateSettings settings, TableConversion conversion) {
    List<String> parts = new ArrayList<>();
    settings.targetSchema.ifPresent(parts::add);
    parts.add(conversion.targetTable());
    return parts;
  }

  private static List<String> primaryKey(TableDef table) {
    return table.primaryKey().map(IndexDef::columnNames).orElse(List.of());
  }

  /**
   * The backfill's idempotent upsert and its key ranges need a primary key; a key read through a
   * query is passed as a comma-separated flag, which cannot carry commas or edge spaces.
   */
  private static List<String> keyProblems(TableTask task) {
    if (task.key().isEmpty()) {
      return List.of("table '" + task.sourceTable() + "': has no primary key, which the"
          + " resumable, idempotent copy needs; add one in MySQL or leave the table out"
          + " (--exclude)");
    }
    if (task.sourceQuery().isPresent()) {
      for (String column : task.key()) {
        if (column.contains(",") || !column.equals(column.strip())) {
          return List.of("table '" + task.sourceTable() + "', column '" + column + "': a key"
              + " column read through a source query cannot have commas or leading or trailing"
              + " spaces in its name");
        }
      }
    }
    return List.of();
  }

  /** CONVERT_TZ returns NULL, silently, for a zone the server's time zone tables lack. */
  private static List<String> zoneProblems(Connection c, MigrateSettings settings,
      List<TableTask> tasks) throws SQLException {
    List<String> converting = tasks.stream()
        .filter(t -> MySqlValueConversions.convertsTimeZones(t.conversion()))
        .map(TableTask::sourceTable).toList();
    if (converting.isEmpty()) {
      return List.of();
    }
    ZoneId zone = settings.mappingOptions.sourceZone();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(MySqlValueConversions.zoneCheckQuery(zone))) {
      rs.next();
      if (rs.getString(1) != null) {
        return List.of();
      }
    }
    return List.of("tables " + converting + ": TIMESTAMP columns mapped to a zone-less type are"
        + " read in --sourceZone=" + zone + ", which this server does not know (load its time"
        + " zone tables with mysql_tzinfo_to_sql, or give an offset such as +01:00)");
  }

  /**
   * Compiles the table's mapping file against the columns the backfill will read and the columns
   * the DDL creates, as the backfill would when the table's turn comes.
   */
  private static List<String> mappingProblems(Connection c, TableTask task) throws SQLException {
    String where = "table '" + task.sourceTable() + "': mapping file " + task.mappingFile();
    MappingSpec spec;
    try {
      spec = MappingFile.read(task.mappingFile()).rules;
    } catch (IOException e) {
      return List.of(where + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    String from = task.sourceQuery()
        .map(q -> SourceRelation.query(q, task.key()).fromClause(Dialect.MYSQL))
        .orElse(Dialect.MYSQL.quote(task.sourceTable()));
    Layout layout = Describe.relation(c, from);
    RecordMapper mapper;
    try {
      mapper = RecordMapper.compile(spec, layout);
    } catch (IllegalArgumentException e) {
      return List.of(where + ": " + e.getMessage());
    }
    Set<String> targetColumns = task.conversion().columns().stream()
        .map(ColumnConversion::targetColumn).collect(Collectors.toSet());
    List<String> problems = new ArrayList<>();
    for (String column : mapper.targetLayout().names()) {
      if (!targetColumns.contains(column)) {
        problems.add(where + ": produces column '" + column + "', which the target table does"
            + " not have");
      }
    }
    for (String key : task.key()) {
      if (mapper.outputFor(key) == null) {
        problems.add(where + ": does not carry key column '" + key + "' to one target column");
      }
    }
    return problems;
  }

  /**
   * Exact counts where they are cheap; the server's estimate (information_schema) for tables it
   * believes hold a million rows or more, where count(*) would scan for minutes.
   */
  private static Map<String, TableTask.RowCount> rowCounts(Connection c, SourceSchema schema)
      throws SQLException {
    Map<String, Long> estimates = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, TABLE_ROWS FROM"
        + " information_schema.TABLES WHERE TABLE_SCHEMA = ?")) {
      ps.setString(1, schema.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          estimates.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    Map<String, TableTask.RowCount> counts = new HashMap<>();
    try (Statement s = c.createStatement()) {
      for (TableDef table : schema.tables()) {
        long estimate = estimates.getOrDefault(table.name(), 0L);
        if (estimate >= EXACT_COUNT_LIMIT) {
          counts.put(table.name(), new TableTask.RowCount(estimate, false));
          continue;
        }
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM "
            + Dialect.MYSQL.quote(table.name()))) {
          rs.next();
          counts.put(table.name(), new TableTask.RowCount(rs.getLong(1), true));
        }
      }
    }
    return counts;
  }

  /**
   * The target URL for the load: PostgreSQL enum columns take the backfill's text parameters
   * only when the driver sends text untyped; otherwise the server refuses varchar for the enum
   * type.
   */
  String loadUrl(String url, MappingOptions options) {
    if (options.enumStyle() != MappingOptions.EnumStyle.POSTGRES_ENUM
        || ddl.createTypes().isEmpty() || url.contains("stringtype=")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "stringtype=unspecified";
  }

  /**
   * The schema translation's warnings and every view, trigger and routine: none of them is
   * carried over without a word.
   */
  int warnings() {
    return ddl.report().warnings().size() + objects.size();
  }

  /** The plan as the console shows it: tables, DDL, restarts, warnings and problems. */
  String toConsole() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%n== ferry plan: %s database %s -> PostgreSQL ==%n",
        schema.serverVersion(), schema.name()));
    sb.append(String.format("%d tables in load order (parents first); mapping files in %s%n%n",
        tables.size(), mappingsDir));
    int width = Math.max(5, tables.stream().mapToInt(t -> t.sourceTable().length()).max()
        .orElse(5));
    sb.append(String.format("  %3s  %-" + width + "s  %12s  %-5s  %s%n", "#", "table", "rows",
        "read", "mapping file"));
    for (int i = 0; i < tables.size(); i++) {
      TableTask t = tables.get(i);
      sb.append(String.format("  %3d  %-" + width + "s  %12s  %-5s  %s (%s)%n", i + 1,
          t.sourceTable(), t.rows(), t.sourceQuery().isPresent() ? "query" : "table",
          t.mappingFile().getFileName(), mappingOutcomes.get(t.sourceTable())));
    }
    for (List<String> cycle : ddl.loadOrder().cycles()) {
      sb.append(String.format("  cycle: %s reference each other; loaded one after the other%n",
          cycle));
    }
    for (ForeignKeyDef fk : ddl.loadOrder().deferredForeignKeys()) {
      sb.append(String.format("  after the load: foreign key %s of %s%s -> %s%s%n", fk.name(),
          fk.table(), fk.columns(), fk.referencedTable(), fk.referencedColumns()));
    }
    sb.append(String.format("%n-- 1. before the load: types and tables with primary keys%n"));
    ddl.beforeLoad().forEach(s -> sb.append(s).append(";\n"));
    for (TableTask t : tables) {
      t.sourceQuery().ifPresent(q -> sb.append(String.format("%n-- 2. %s is read with:%n%s;%n",
          t.sourceTable(), q)));
    }
    sb.append(String.format("%n-- 3. after the load: indexes, checks, foreign keys%n"));
    ddl.afterLoad().forEach(s -> sb.append(s).append(";\n"));
    sb.append(String.format("%n-- 4. identity sequences restart after the largest loaded id%n"));
    for (IdentityRestart r : ddl.identityRestarts()) {
      sb.append(String.format("--   %s.%s: max(id) + 1%s%n", r.table(), r.column(),
          r.sourceNextValue().map(n -> ", at least " + n + " (MySQL's next AUTO_INCREMENT)")
              .orElse("")));
    }
    List<Rename> renames = ddl.renames();
    sb.append(String.format("%n-- renamed identifiers (%d): source -> PostgreSQL (--naming=%s)%n",
        renames.size(), naming.flag()));
    renames.forEach(r -> sb.append("--   ").append(r).append('\n'));
    List<Warning> warnings = ddl.report().warnings();
    sb.append(String.format("%n-- warnings (%d)%n", warnings()));
    warnings.forEach(w -> sb.append(w).append('\n'));
    for (SourceObject o : objects) {
      sb.append(o.describe()).append(o.kind() == SourceObject.Kind.VIEW
          ? ": translated and created after the load if PostgreSQL accepts it, else listed in "
          : ": not migrated; its source is in ").append(mappingsDir.resolve(NotMigratedFile.NAME))
          .append('\n');
    }
    if (!problems.isEmpty()) {
      sb.append(String.format("%n-- problems (%d): migrate refuses to start until they are"
          + " fixed%n", problems.size()));
      problems.forEach(p -> sb.append(p).append('\n'));
    }
    return sb.toString();
  }
}
