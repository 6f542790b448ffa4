package dev.ferry.pipelines.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.migrate.MigrationState.Entry;
import dev.ferry.pipelines.migrate.MigrationState.Phase;
import dev.ferry.pipelines.profile.Failures;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.schema.MappingOptions;
import dev.ferry.schema.Warning;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.common.ReflectHelpers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a planned migration: takes every table as far as it can go, phase by phase, and
 * records each step in {@link MigrationState} so that the next run continues after it.
 */
final class MigrationRun {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationRun.class);
  /** PostgreSQL: an index (relation) or a constraint of that name already exists. */
  private static final Set<String> ALREADY_EXISTS = Set.of("42P07", "42710");
  /** Beam's own (de)serialization of options, as runners use it to ship them to workers. */
  private static final ObjectMapper OPTIONS_JSON = new ObjectMapper()
      .registerModules(ObjectMapper.findModules(ReflectHelpers.findClassLoader()));

  private final MigrateOptions options;
  private final Secrets secrets;
  private final MigrateSettings settings;
  private final JdbcEndpoint target;
  private final MigrationPlan plan;
  private final TableCheck check;
  private final MigrationSummary summary;
  private final MigrationState state;
  private final Map<String, Phase> phases = new HashMap<>();
  private final Map<String, MigrationSummary.TableResult> results = new HashMap<>();
  private boolean stateReady;

  MigrationRun(MigrateOptions options, Secrets secrets, MigrateSettings settings,
      JdbcEndpoint target, MigrationPlan plan, TableCheck check, MigrationSummary summary) {
    this.options = options;
    this.secrets = secrets;
    this.settings = settings;
    this.target = target;
    this.plan = plan;
    this.check = check;
    this.summary = summary;
    String name = "migrate-" + plan.schema.name()
        + settings.targetSchema.map(s -> "-" + s).orElse("");
    this.state = new MigrationState(settings.stateSchema, name);
    summary.migration = name;
    summary.check = check.name();
    summary.tables.forEach(r -> results.put(r.table, r));
  }

  void run() throws Exception {
    for (Warning warning : plan.ddl.report().warnings()) {
      LOG.warn("{}", warning);
    }
    try {
      create();
      load();
      constrain();
      new AfterLoadObjects(plan, settings, target).create(summary);
      verify();
    } finally {
      if (stateReady) {
        recordPhases();
      }
    }
    boolean clean = plan.tables.stream()
        .allMatch(t -> phases.get(t.sourceTable()) == Phase.VERIFIED);
    summary.status = clean ? "succeeded" : "differences";
    summary.exitCode = clean ? MigrationSummary.EXIT_OK : MigrationSummary.EXIT_DIFFERENCES;
  }

  /** Schemas, state, enum types and tables; each table with its state row in one commit. */
  private void create() throws Exception {
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET);
        Statement s = c.createStatement()) {
      for (Optional<String> schema : List.of(settings.targetSchema,
          settings.stateSchema.stream().findFirst())) {
        if (schema.isPresent()) {
          s.execute("CREATE SCHEMA IF NOT EXISTS " + Dialect.POSTGRESQL.quote(schema.get()));
        }
      }
      state.ensureTable(c);
      stateReady = true;
      Map<String, Entry> entries = state.load(c);
      checkUnchanged(entries);
      for (TableTask task : plan.tables) {
        Entry entry = entries.get(task.sourceTable());
        phases.put(task.sourceTable(), entry == null ? Phase.NONE : entry.phase());
      }
      for (String type : plan.ddl.createTypes()) {
        executeUnlessExists(s, type);
      }
      for (TableTask task : plan.tables) {
        if (phases.get(task.sourceTable()) == Phase.NONE) {
          createTable(c, task);
        } else if (settings.reload.contains(task.sourceTable())) {
          state.advance(c, task, Phase.CREATED, Optional.of("reloading (--reload)"));
          phases.put(task.sourceTable(), Phase.CREATED);
        }
      }
    }
  }

  /**
   * A table created or filled by an earlier run with other DDL or conversions than this plan's
   * (the options or rules changed since) would end up with rows of both kinds: refuse.
   */
  private void checkUnchanged(Map<String, Entry> entries) {
    List<String> changed = new ArrayList<>();
    for (TableTask task : plan.tables) {
      Entry entry = entries.get(task.sourceTable());
      if (entry != null && !entry.definitionHash().equals(task.definitionHash())) {
        changed.add(task.sourceTable());
      }
    }
    if (!changed.isEmpty()) {
      throw new SpecException("plan", "tables", "tables " + changed + " were created by an"
          + " earlier run of " + summary.migration + " with different DDL or conversions (the"
          + " options or type rules changed since): run with the earlier options, or drop those"
          + " tables in the target and delete their rows from " + state.tableName());
    }
  }

  private void createTable(Connection c, TableTask task) throws SQLException, TableFailure {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute(task.createTable());
      state.record(c, task, Phase.CREATED, null, "created");
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      if (!"42P07".equals(e.getSQLState())) {
        throw new TableFailure(task.sourceTable(), MigrationSummary.EXIT_FAILED,
            "cannot create " + task.quotedTarget() + ": " + target.redact(e.getMessage()));
      }
      LOG.warn("table {} already exists in the target; keeping it and loading into it",
          task.quotedTarget());
      state.record(c, task, Phase.CREATED, null, "existed before the migration; kept");
      c.commit();
    } finally {
      c.setAutoCommit(true);
    }
    phases.put(task.sourceTable(), Phase.CREATED);
  }

  /** Copies every table that is not loaded yet, in load order; stops at the first failure. */
  private void load() throws Exception {
    String loadUrl = loadUrl();
    for (TableTask task : plan.tables) {
      if (phases.get(task.sourceTable()).reached(Phase.LOADED)) {
        continue;
      }
      BackfillOptions backfill = copyOf(options).as(BackfillOptions.class);
      task.configure(backfill, settings, loadUrl,
          settings.reload.contains(task.sourceTable()));
      LOG.info("loading {} into {} (job {})", task.sourceTable(), task.quotedTarget(),
          task.job());
      RunSummary run = BackfillPipeline.run(backfill, secrets);
      MigrationSummary.TableResult result = results.get(task.sourceTable());
      result.loadedThisRun = true;
      result.loadSeconds = run.seconds;
      if (run.exitCode != RunSummary.EXIT_OK) {
        throw loadFailure(task, run);
      }
      String detail = run.jobRowsDeadLettered == 0 ? "loaded"
          : String.format("loaded; %,d rows dead-lettered in %s", run.jobRowsDeadLettered,
              run.deadLetterTable);
      try (Connection c = target.connect(JdbcEndpoint.Role.TARGET)) {
        state.record(c, task, Phase.LOADED, run.jobRowsWritten, detail);
      }
      phases.put(task.sourceTable(), Phase.LOADED);
    }
  }

  private TableFailure loadFailure(TableTask task, RunSummary run) {
    if (run.exitCode == RunSummary.EXIT_TOO_MANY_DEAD_LETTERS) {
      return new TableFailure(task.sourceTable(), MigrationSummary.EXIT_TOO_MANY_DEAD_LETTERS,
          String.format("%,d rows dead-lettered (see %s, job %s), more than --maxDeadLetters=%d;"
              + " fix them in the source and run again with --reload=%s, or allow them with"
              + " --maxDeadLetters", run.jobRowsDeadLettered, run.deadLetterTable, task.job(),
              settings.maxDeadLetters, task.sourceTable()));
    }
    int exit = run.exitCode == RunSummary.EXIT_INVALID_SPEC ? MigrationSummary.EXIT_INVALID
        : MigrationSummary.EXIT_FAILED;
    return new TableFailure(task.sourceTable(), exit, "loading failed (job " + task.job()
        + "; run the same command again to resume): " + run.error);
  }

  /**
   * PostgreSQL enum columns take the backfill's text parameters only when the driver sends text
   * untyped; otherwise the server refuses varchar for the enum type.
   */
  private String loadUrl() {
    String url = target.url();
    if (settings.mappingOptions.enumStyle() != MappingOptions.EnumStyle.POSTGRES_ENUM
        || plan.ddl.createTypes().isEmpty() || url.contains("stringtype=")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "stringtype=unspecified";
  }

  /**
   * Indexes, checks and foreign keys once every table is loaded (foreign keys of cycles and
   * self-references can only hold then), then the identity restarts. Statements whose object
   * already exists were done by an earlier run.
   */
  private void constrain() throws Exception {
    boolean pending = plan.tables.stream()
        .anyMatch(t -> !phases.get(t.sourceTable()).reached(Phase.CONSTRAINED));
    if (!pending) {
      return;
    }
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET);
        Statement s = c.createStatement()) {
      List<String> statements = plan.ddl.afterLoad();
      for (String sql : statements) {
        try {
          executeUnlessExists(s, sql);
        } catch (SQLException e) {
          throw new TableFailure(tableOf(sql), MigrationSummary.EXIT_FAILED, "after the load, "
              + sql + " failed: " + target.redact(e.getMessage()));
        }
      }
      List<String> restarts = plan.ddl.identityRestartStatements(c);
      for (String sql : restarts) {
        s.execute(sql);
      }
      summary.afterLoadStatements = statements.size();
      summary.identityRestarts = restarts.size();
      for (TableTask task : plan.tables) {
        if (phases.get(task.sourceTable()) == Phase.LOADED) {
          state.advance(c, task, Phase.CONSTRAINED, Optional.empty());
          phases.put(task.sourceTable(), Phase.CONSTRAINED);
        }
      }
    }
  }

  /** Checks every constrained table; a table with differences stays constrained. */
  private void verify() throws Exception {
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET)) {
      for (TableTask task : plan.tables) {
        if (phases.get(task.sourceTable()) != Phase.CONSTRAINED) {
          continue;
        }
        TableCheck.Outcome outcome;
        try {
          outcome = check.check(task);
        } catch (Exception e) {
          throw new TableFailure(task.sourceTable(), MigrationSummary.EXIT_FAILED,
              check.name() + " check failed: " + Failures.describe(e, settings.source, target));
        }
        if (outcome.clean()) {
          state.advance(c, task, Phase.VERIFIED, Optional.of(outcome.detail()));
          phases.put(task.sourceTable(), Phase.VERIFIED);
        } else {
          LOG.error("table {}: {} check found differences: {}", task.sourceTable(),
              check.name(), outcome.detail());
          state.advance(c, task, Phase.CONSTRAINED,
              Optional.of("differences: " + outcome.detail()));
        }
      }
    }
  }

  /** Reads every table's phase, rows and detail back for the summary. */
  private void recordPhases() {
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET)) {
      Map<String, Entry> entries = state.load(c);
      for (TableTask task : plan.tables) {
        MigrationSummary.TableResult result = results.get(task.sourceTable());
        Entry entry = entries.get(task.sourceTable());
        result.phase = entry == null ? Phase.NONE.name() : entry.phase().name();
        if (entry != null) {
          result.rowsLoaded = entry.rowsLoaded();
          result.detail = entry.detail();
        }
      }
    } catch (SQLException e) {
      LOG.error("cannot read {} for the summary: {}", state.tableName(),
          target.redact(e.getMessage()));
    }
  }

  /** The source table an after-load statement belongs to, for the error message. */
  private String tableOf(String sql) {
    for (TableTask task : plan.tables) {
      String quoted = task.quotedTarget();
      if (sql.startsWith("ALTER TABLE " + quoted + " ") || sql.contains(" ON " + quoted + " (")) {
        return task.sourceTable();
      }
    }
    return "(after load)";
  }

  private static void executeUnlessExists(Statement s, String sql) throws SQLException {
    try {
      s.execute(sql);
    } catch (SQLException e) {
      if (!ALREADY_EXISTS.contains(e.getSQLState())) {
        throw e;
      }
      LOG.debug("already exists, skipped: {}", sql);
    }
  }

  /**
   * An independent copy of the options for one table's backfill: runner flags come along, and
   * setting the table's flags does not change the caller's options.
   */
  /** An independent copy, so one table's settings never leak into the next job. */
  static PipelineOptions copyOf(PipelineOptions options) {
    try {
      return OPTIONS_JSON.readValue(OPTIONS_JSON.writeValueAsBytes(options),
          PipelineOptions.class);
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy the pipeline options", e);
    }
  }
}
