package dev.ferry.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL DDL for a MySQL / MariaDB schema, split by when it runs in a migration:
 *
 * <ol>
 *   <li>{@link #beforeLoad()}: enum types and CREATE TABLE with primary keys, defaults and NOT
 *       NULL, but without secondary indexes and foreign keys, so the bulk load stays fast;
 *   <li>the data copy, table by table in {@link #loadOrder()}, converting values as {@link
 *       #conversions()} says;
 *   <li>{@link #afterLoad()}: indexes, CHECK constraints, then foreign keys;
 *   <li>{@link #identityRestartStatements(Connection)}: identity sequences moved past the loaded
 *       ids;
 *   <li>{@link #onUpdateTriggers()}, if enabled, after the last catch-up copy.
 * </ol>
 *
 * <p>Identifiers are spelled as {@link MappingOptions#naming()} says (lower case by default) and
 * always quoted, so reserved words ({@code order}), mixed case ({@code Select}) and spaces work;
 * {@link #renames()} lists every name that changed. Two source objects that would get one name
 * stop the generation ({@link NameCollisionException}). Statements have no trailing semicolon, for
 * JDBC. Everything the translation could not carry over exactly is in {@link #report()}.
 */
public final class PostgresDdl {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresDdl.class);

  private final List<String> createTypes;
  private final List<String> createTables;
  private final List<String> createIndexes;
  private final List<String> addCheckConstraints;
  private final List<String> addForeignKeys;
  private final List<String> onUpdateTriggers;
  private final List<IdentityRestart> identityRestarts;
  private final List<TableConversion> conversions;
  private final LoadOrder loadOrder;
  private final Report report;
  private final List<Rename> renames;

  private PostgresDdl(Generator g, LoadOrder loadOrder) {
    this.createTypes = List.copyOf(g.createTypes);
    this.createTables = List.copyOf(g.createTables);
    this.createIndexes = List.copyOf(g.createIndexes);
    this.addCheckConstraints = List.copyOf(g.addChecks);
    this.addForeignKeys = List.copyOf(g.addForeignKeys);
    this.onUpdateTriggers = List.copyOf(g.onUpdateTriggers);
    this.identityRestarts = List.copyOf(g.identityRestarts);
    this.conversions = List.copyOf(g.conversions);
    this.loadOrder = loadOrder;
    this.report = g.report.build();
    this.renames = List.copyOf(g.names.renames());
  }

  /** The DDL with ferry's default rules and options. */
  public static PostgresDdl generate(SourceSchema schema) {
    return generate(schema, TypeMappingRules.defaults(), MappingOptions.defaults());
  }

  /**
   * The DDL for every table of {@code schema}.
   *
   * @throws ColumnMappingException if a column's type matches no rule, naming table and column
   * @throws NameCollisionException if two source objects would get one PostgreSQL name
   */
  public static PostgresDdl generate(
      SourceSchema schema, TypeMappingRules rules, MappingOptions options) {
    LoadOrder loadOrder = LoadOrder.of(schema);
    Generator generator = new Generator(schema, rules, options);
    generator.run(loadOrder);
    if (!generator.names.collisions().isEmpty()) {
      throw new NameCollisionException(options.naming(), generator.names.collisions());
    }
    PostgresDdl ddl = new PostgresDdl(generator, loadOrder);
    LOG.info(
        "generated PostgreSQL DDL for {} tables of {} with {} warnings",
        schema.tables().size(),
        schema.name(),
        ddl.report.warnings().size());
    return ddl;
  }

  /** CREATE TYPE for enum columns (only with {@link MappingOptions.EnumStyle#POSTGRES_ENUM}). */
  public List<String> createTypes() {
    return createTypes;
  }

  /** CREATE TABLE per table, in load order. */
  public List<String> createTables() {
    return createTables;
  }

  /** CREATE [UNIQUE] INDEX for unique and secondary indexes. */
  public List<String> createIndexes() {
    return createIndexes;
  }

  /** ALTER TABLE ... ADD CONSTRAINT ... CHECK for the source's CHECK constraints. */
  public List<String> addCheckConstraints() {
    return addCheckConstraints;
  }

  /** ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY, with ON DELETE / ON UPDATE rules. */
  public List<String> addForeignKeys() {
    return addForeignKeys;
  }

  /**
   * Functions and triggers emulating ON UPDATE CURRENT_TIMESTAMP; empty unless {@link
   * MappingOptions#onUpdateTriggers()}. Create them after the last catch-up copy: an upsert would
   * otherwise stamp copied rows with the time of the copy.
   */
  public List<String> onUpdateTriggers() {
    return onUpdateTriggers;
  }

  /** The identity columns whose sequences must move past the loaded ids. */
  public List<IdentityRestart> identityRestarts() {
    return identityRestarts;
  }

  /** Types, then tables: everything the load needs. */
  public List<String> beforeLoad() {
    List<String> all = new ArrayList<>(createTypes);
    all.addAll(createTables);
    return List.copyOf(all);
  }

  /** Indexes, checks, then foreign keys (which need the parents' unique indexes). */
  public List<String> afterLoad() {
    List<String> all = new ArrayList<>(createIndexes);
    all.addAll(addCheckConstraints);
    all.addAll(addForeignKeys);
    return List.copyOf(all);
  }

  /**
   * The identity restart statements for the data now in the target: reads max(id) of each identity
   * column over {@code target}.
   */
  public List<String> identityRestartStatements(Connection target) throws SQLException {
    List<String> statements = new ArrayList<>();
    try (Statement s = target.createStatement()) {
      for (IdentityRestart restart : identityRestarts) {
        try (ResultSet rs = s.executeQuery(restart.maxValueQuery())) {
          rs.next();
          statements.add(restart.restartStatement(rs.getLong(1)));
        }
      }
    }
    return statements;
  }

  /** The per-column copy plan of every table, in load order. */
  public List<TableConversion> conversions() {
    return conversions;
  }

  public Optional<TableConversion> conversion(String sourceTable) {
    return conversions.stream().filter(c -> c.sourceTable().equals(sourceTable)).findFirst();
  }

  public LoadOrder loadOrder() {
    return loadOrder;
  }

  public Report report() {
    return report;
  }

  /** The source identifiers whose PostgreSQL names differ, in the order they were generated. */
  public List<Rename> renames() {
    return renames;
  }

  /** Walks the tables once and collects every kind of statement. */
  private static final class Generator {
    final SourceSchema schema;
    final MappingOptions options;
    final PostgresNames names;
    final Report.Builder report = new Report.Builder();
    final ColumnMapper columns;
    final List<String> createTypes = new ArrayList<>();
    final List<String> createTables = new ArrayList<>();
    final List<String> createIndexes = new ArrayList<>();
    final List<String> addChecks = new ArrayList<>();
    final List<String> addForeignKeys = new ArrayList<>();
    final List<String> onUpdateTriggers = new ArrayList<>();
    final List<IdentityRestart> identityRestarts = new ArrayList<>();
    final List<TableConversion> conversions = new ArrayList<>();

    Generator(SourceSchema schema, TypeMappingRules rules, MappingOptions options) {
      this.schema = schema;
      this.options = options;
      this.names = new PostgresNames(options.targetSchema(), options.naming());
      this.columns = new ColumnMapper(rules, options, names, report);
    }

    void run(LoadOrder loadOrder) {
      Map<String, MappedTable> tables = new LinkedHashMap<>();
      for (String name : loadOrder.tables()) {
        TableDef table = schema.table(name).orElseThrow();
        tables.put(name, map(table));
      }
      for (MappedTable table : tables.values()) {
        addTable(table);
        addForeignKeys.addAll(ForeignKeyStatements.of(schema.name(), table, tables, names, report));
      }
      for (List<String> cycle : loadOrder.cycles()) {
        for (String table : cycle) {
          report.table(
              WarningKind.LOAD_ORDER_CYCLE,
              table,
              "tables "
                  + cycle
                  + " reference each other in a cycle, so no order loads every"
                  + " parent first; their foreign keys must wait until all of them are loaded");
        }
      }
    }

    private MappedTable map(TableDef table) {
      String target = names.tableName(table.name());
      String what = "table '" + table.name() + "'";
      names.claim("relations", target, what);
      // every table also has a row type of its name, beside the enum types
      names.claim("types", target, what);
      names.renamed("table", table.name(), table.name(), target);
      if (!target.equals(names.naming().apply(table.name()))) {
        report.table(
            WarningKind.IDENTIFIER_TOO_LONG,
            table.name(),
            "name longer than 63 bytes; the PostgreSQL table is " + target);
      }
      if (ReservedWords.contains(target)) {
        report.table(WarningKind.RESERVED_WORD, table.name(), ReservedWords.warning(target));
      }
      List<MappedColumn> mapped = new ArrayList<>();
      for (ColumnDef column : table.columns()) {
        mapped.add(columns.map(table, column));
      }
      return new MappedTable(table, names.table(table.name()), target, mapped);
    }

    private void addTable(MappedTable table) {
      table.columns().forEach(c -> c.enumTypeDdl().ifPresent(createTypes::add));
      createTables.add(CreateTableStatement.of(table, names, report));
      createIndexes.addAll(IndexStatements.of(table, names, report));
      for (CheckDef check : table.source().checks()) {
        if (check.enforced()) {
          String name = names.constraintName(check.name());
          String source = table.source().name() + "." + check.name();
          names.claim(
              "constraints of " + table.source().name(), name, "check constraint '" + source + "'");
          names.renamed("constraint", source, check.name(), name);
          addChecks.add(
              "ALTER TABLE "
                  + table.name()
                  + " ADD CONSTRAINT "
                  + names.constraint(check.name())
                  + " CHECK ("
                  + CheckClauseTranslator.translate(check.clause(), names::columnName)
                  + ")");
        } else {
          report.table(
              WarningKind.CHECK_SKIPPED,
              table.source().name(),
              "check '"
                  + check.name()
                  + "' is NOT ENFORCED in MySQL, so rows may violate it;"
                  + " not created");
        }
      }
      if (options.onUpdateTriggers()) {
        onUpdateTriggers.addAll(OnUpdateTriggers.of(table, names));
      }
      for (MappedColumn column : table.columns()) {
        if (column.identity()) {
          identityRestarts.add(
              new IdentityRestart(
                  table.source().name(),
                  column.source().name(),
                  table.name(),
                  column.name(),
                  table.source().nextAutoIncrement()));
        }
      }
      conversions.add(table.conversion());
    }
  }
}
