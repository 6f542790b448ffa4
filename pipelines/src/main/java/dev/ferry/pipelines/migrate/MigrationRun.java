package dev.ferry.pipelines.migrate;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.pipelines.backfill.BackfillBatch;
import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.migrate.MigrationState.Entry;
import dev.ferry.pipelines.migrate.MigrationState.Phase;
import dev.ferry.pipelines.profile.Failures;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.progress.ProgressStore;
import dev.ferry.schema.Warning;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

  private final MigrateOptions options;
  private final Secrets secrets;
  private final MigrateSettings settings;
  private final JdbcEndpoint target;
  private final MigrationPlan plan;
  private final TableCheck check;
  private final MigrationSummary summary;
  private final MigrationState state;
  private final ParallelTables tables;
  /** Each table's phase; written by the threads that load and check tables at once. */
  private final Map<String, Phase> phases = new ConcurrentHashMap<>();
  private final Map<String, MigrationSummary.TableResult> results = new HashMap<>();
  /**
   * Checks made right after a table's load, while other tables still load; recorded once the
   * table is constrained (constraints and identity restarts do not change a table's rows).
   */
  private final Map<String, TableCheck.Outcome> checkedEarly = new ConcurrentHashMap<>();
  private boolean stateReady;
  /** With --sync: takes the change stream's position before the first read; no checks then. */
  private MigrationSync sync;

  MigrationRun(MigrateOptions options, Secrets secrets, MigrateSettings settings,
      JdbcEndpoint target, MigrationPlan plan, TableCheck check, MigrationSummary summary) {
    this.options = options;
    this.secrets = secrets;
    this.settings = settings;
    this.target = target;
    this.plan = plan;
    this.check = check;
    this.summary = summary;
    String name = MigrationState.nameOf(plan, settings);
    this.state = new MigrationState(settings.stateSchema, name);
    this.tables = new ParallelTables(options.getParallelTables());
    summary.migration = name;
    summary.check = check.name();
    summary.tables.forEach(r -> results.put(r.table, r));
  }

  /** With {@code sync}: its position is taken before any read, checks wait for the cutover. */
  MigrationRun syncing(MigrationSync sync) {
    this.sync = sync;
    return this;
  }

  void run() throws Exception {
    for (Warning warning : plan.ddl.report().warnings()) {
      LOG.warn("{}", warning);
    }
    try {
      timed("create", this::create);
      if (sync != null) {
        timed("prepare sync", () -> sync.prepare(phases));
      }
      timed("load", this::load);
      if (sync != null) {
        timed("catch up", () -> sync.catchUpBeforeConstraints(phases));
      }
      timed("constrain", this::constrain);
      timed("objects", () -> new AfterLoadObjects(plan, settings, target).create(summary));
      timed("check", sync == null ? this::verify : () -> { });
    } finally {
      if (stateReady) {
        recordPhases();
      }
    }
    Phase done = sync == null ? Phase.VERIFIED : Phase.CONSTRAINED;
    boolean clean = plan.tables.stream().allMatch(t -> phases.get(t.sourceTable()).reached(done));
    summary.status = clean ? "succeeded" : "differences";
    summary.exitCode = clean ? ExitCodes.OK : ExitCodes.DIFFERENCES;
  }

  /** One phase of the run. */
  private interface PhaseStep {
    void run() throws Exception;
  }

  /** Runs a phase and records its wall time in the summary, where the time went. */
  private void timed(String phase, PhaseStep step) throws Exception {
    long start = System.nanoTime();
    try {
      step.run();
    } finally {
      summary.phaseSeconds.put(phase, (System.nanoTime() - start) / 1e9);
    }
  }

  /** Schemas, state, enum types and tables; each table with its state row in one commit. */
  private void create() throws Exception {
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET);
        Statement s = c.createStatement()) {
      StateSchemaCheck.check(c, settings);
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
        throw new TableFailure(task.sourceTable(), ExitCodes.FAILED,
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

  /**
   * Copies every table that is not loaded yet in batches ({@link LoadBatches}), {@code
   * --parallelTables} large tables at a time: foreign keys and indexes come after the load, so
   * tables load in any order. After a failure no further batch starts; those already copying
   * finish and are recorded.
   */
  private void load() throws Exception {
    String loadUrl = plan.loadUrl(target.url(), settings.mappingOptions);
    List<TableTask> pending = plan.tables.stream()
        .filter(t -> !phases.get(t.sourceTable()).reached(Phase.LOADED)).toList();
    if (!pending.isEmpty()) {
      // Created once here: several backfills creating the same state tables at once would race.
      new ProgressStore(target, settings.stateSchema).ensureTables();
    }
    tables.run(LoadBatches.of(pending, options.getParallelTables()), LoadBatches.LoadBatch::rows,
        LoadBatches.LoadBatch::weight, "load", batch -> load(batch, loadUrl));
  }

  /** Copies a batch of tables with one pipeline (or one table with its own), then checks them. */
  private void load(LoadBatches.LoadBatch loading, String loadUrl) throws Exception {
    List<TableTask> batch = loading.tables();
    List<BackfillOptions> jobs = new ArrayList<>();
    for (TableTask task : batch) {
      BackfillOptions backfill = OptionsCopy.of(options).as(BackfillOptions.class);
      task.configureLoad(backfill, settings, loadUrl,
          settings.reload.contains(task.sourceTable()));
      LOG.info("loading {} into {} (job {})", task.sourceTable(), task.quotedTarget(),
          task.job());
      jobs.add(backfill);
    }
    List<RunSummary> runs = batch.size() == 1
        ? List.of(BackfillPipeline.run(jobs.get(0), secrets))
        : BackfillBatch.run(jobs, secrets);
    TableFailure failure = null;
    for (int i = 0; i < batch.size(); i++) {
      try {
        loaded(batch.get(i), runs.get(i));
      } catch (TableFailure e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
    if (sync == null) {
      // As many at once as the batch's large tables: the slots it holds.
      new ParallelTables(loading.weight()).run(batch, "check", this::checkEarly);
    }
  }

  /**
   * Checks a table as soon as it is loaded, so that the checks of most tables overlap the loads
   * of others (the largest table's load is usually the longest step). A check that cannot run
   * now is simply made again in the check phase.
   */
  private void checkEarly(TableTask task) {
    try {
      checkedEarly.put(task.sourceTable(), check.check(task));
    } catch (Exception e) {
      LOG.warn("table {}: checking right after the load failed ({}); checking again after the"
          + " constraints", task.sourceTable(), Failures.describe(e, settings.source, target));
    }
  }

  private void loaded(TableTask task, RunSummary run) throws Exception {
    MigrationSummary.TableResult result = results.get(task.sourceTable());
    result.loadedThisRun = true;
    result.loadSeconds = run.seconds;
    if (run.exitCode != ExitCodes.OK) {
      throw TableFailure.ofLoad(task, run, settings.maxDeadLetters);
    }
    String detail = run.jobRowsDeadLettered == 0 ? "loaded"
        : String.format("loaded; %,d rows dead-lettered in %s", run.jobRowsDeadLettered,
            run.deadLetterTable);
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET)) {
      state.record(c, task, Phase.LOADED, run.jobRowsWritten, detail);
    }
    phases.put(task.sourceTable(), Phase.LOADED);
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
      List<String> statements = sync == null ? plan.ddl.afterLoad() : sync.afterLoad();
      for (String sql : statements) {
        try {
          executeUnlessExists(s, sql);
        } catch (SQLException e) {
          throw new TableFailure(tableOf(sql), ExitCodes.FAILED, "after the load, "
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

  /**
   * Checks every constrained table, {@code --parallelTables} at a time; a table with differences
   * stays constrained.
   */
  private void verify() throws Exception {
    List<TableTask> pending = plan.tables.stream()
        .filter(t -> phases.get(t.sourceTable()) == Phase.CONSTRAINED).toList();
    tables.run(pending, "check", this::verify);
  }

  private void verify(TableTask task) throws Exception {
    TableCheck.Outcome outcome = checkedEarly.remove(task.sourceTable());
    try {
      if (outcome == null) {
        outcome = check.check(task);
      }
    } catch (Exception e) {
      throw new TableFailure(task.sourceTable(), ExitCodes.FAILED,
          check.name() + " check failed: " + Failures.describe(e, settings.source, target));
    }
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET)) {
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
}
