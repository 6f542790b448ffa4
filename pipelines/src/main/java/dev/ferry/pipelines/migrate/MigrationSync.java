package dev.ferry.pipelines.migrate;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.migrate.MigrationState.Phase;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.sync.DatabaseSync;
import dev.ferry.progress.StateTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ferry migrate --sync}: a whole database migrated without stopping the application. The
 * source's change-stream position is recorded once the target tables exist and before any table
 * is read, so every change made while the tables are copied is in the stream; after the load one
 * stream for the database applies every table's changes through the backfill job that loaded it
 * (its mapping file, writer and dead letters), with the position committed in the target in the
 * same transaction, until stopped. Running the command again resumes the migration where it
 * stopped, then the stream from the stored position. {@link MigrationCutover} ends it.
 */
final class MigrationSync {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationSync.class);
  static final String COMMAND = "ferry migrate --sync";
  /** ALTER TABLE <table> ADD CONSTRAINT <name> FOREIGN KEY ..., as PostgresDdl writes it. */
  private static final Pattern ADD_FOREIGN_KEY = Pattern.compile(
      "^(ALTER TABLE .+?) ADD CONSTRAINT (\"(?:[^\"]|\"\")*\"|\\S+) FOREIGN KEY ");

  final MigrateOptions options;
  private final Secrets secrets;
  final MigrateSettings settings;
  final JdbcEndpoint target;
  final MigrationPlan plan;
  final MigrationSummary summary;
  final String name;
  /** Made once the target tables exist: each table's job describes its target table. */
  private DatabaseSync sync;

  MigrationSync(MigrateOptions options, Secrets secrets, MigrateSettings settings,
      JdbcEndpoint target, MigrationPlan plan, MigrationSummary summary) {
    this.options = options;
    this.secrets = secrets;
    this.settings = settings;
    this.target = target;
    this.plan = plan;
    this.summary = summary;
    this.name = MigrationState.nameOf(plan, settings);
  }

  /** Migrates with the stream's position taken first, then streams until stopped. */
  void migrateAndStream(MigrationRun run) throws Exception {
    if (!sourceReady()) {
      return;
    }
    run.syncing(this).run();
    if (summary.exitCode != ExitCodes.OK) {
      return;
    }
    System.out.println(COMMAND + " " + name + ": every table is loaded and constrained;"
        + " streaming the source's changes into the target until stopped. Once the"
        + " application's writes to the source are stopped: ferry migrate --cutover=true");
    int exit = sync().stream(options, COMMAND);
    summary.exitCode = exit;
    summary.status = exit == ExitCodes.OK ? "sync stopped"
        : exit == ExitCodes.DDL_STOPPED ? "sync stopped by ddl" : "sync failed";
    if (exit != ExitCodes.OK) {
      summary.error = "the change stream stopped (exit " + exit + "; the reason is printed"
          + " above)";
    }
  }

  /**
   * Whether the source keeps a binary log ferry can read; otherwise the summary says what to
   * change. Checked before anything is created or copied.
   */
  boolean sourceReady() throws SQLException {
    List<String> problems = DatabaseSync.problems(settings.source, name, sourceTables());
    if (problems.isEmpty()) {
      return true;
    }
    summary.status = "source not ready";
    summary.exitCode = ExitCodes.SOURCE_NOT_READY;
    summary.error = "the source " + settings.source + " is not ready for change capture: "
        + String.join("; ", problems);
    return false;
  }

  /**
   * Before the load: records the stream's position unless an earlier run did (every change since
   * that one is in the stream). Tables copied before any position existed would miss the changes
   * made since their rows were read, so they must be copied again.
   */
  void prepare(Map<String, Phase> phases) throws Exception {
    if (sync().prepared()) {
      LOG.info("{}: the change stream's position was recorded by an earlier run", name);
      return;
    }
    List<String> copied = new ArrayList<>();
    List<String> jobs = new ArrayList<>();
    for (TableTask task : plan.tables) {
      if (settings.reload.contains(task.sourceTable())) {
        continue;
      }
      if (phases.get(task.sourceTable()).reached(Phase.LOADED)) {
        copied.add(task.sourceTable());
      } else {
        jobs.add(task.job());
      }
    }
    copied.addAll(backfilled(jobs));
    if (!copied.isEmpty()) {
      throw new TableFailure(copied.get(0), ExitCodes.INVALID, "tables " + copied + " were"
          + " (partly) copied by a migration without --sync: the changes made since are not in"
          + " the change stream. Copy them again: add --reload=" + String.join(",", copied));
    }
    String position = sync.prepare();
    System.out.println(COMMAND + " " + name + ": every change from " + position
        + " will be applied; copying the tables now");
  }

  /**
   * After the load, before the constraints: applies the stream until caught up. The tables were
   * copied at different moments while the application wrote, so together they need not satisfy
   * a unique index or a foreign key until the changes made meanwhile are applied.
   */
  void catchUpBeforeConstraints(Map<String, Phase> phases) throws SQLException {
    if (plan.tables.stream()
        .allMatch(t -> phases.get(t.sourceTable()).reached(Phase.CONSTRAINED))) {
      return;
    }
    int exit = sync().catchUp(options, COMMAND);
    if (exit != ExitCodes.OK) {
      throw new IllegalStateException("the catch-up before adding the constraints stopped (exit "
          + exit + ", the reason is printed above); run the same command again");
    }
  }

  /**
   * The after-load statements with every foreign key {@code NOT VALID}: checked for every row the
   * stream writes from now on, but not for the rows already there, which the application may
   * change under the catch-up; the cutover validates them ({@link #validateForeignKeys}).
   */
  List<String> afterLoad() {
    List<String> foreignKeys = plan.ddl.addForeignKeys();
    return plan.ddl.afterLoad().stream()
        .map(sql -> foreignKeys.contains(sql) ? sql + " NOT VALID" : sql).toList();
  }

  /** Validates every foreign key of the migration (at the cutover, once the target is equal). */
  void validateForeignKeys() throws SQLException {
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET);
        Statement s = c.createStatement()) {
      for (String sql : plan.ddl.addForeignKeys()) {
        Matcher m = ADD_FOREIGN_KEY.matcher(sql);
        if (!m.find()) {
          throw new IllegalStateException("not a foreign key statement: " + sql);
        }
        s.execute(m.group(1) + " VALIDATE CONSTRAINT " + m.group(2));
      }
    }
  }

  /** The source tables of the jobs that ever ran a backfill (from the state schema's runs). */
  private List<String> backfilled(List<String> jobs) throws SQLException {
    if (jobs.isEmpty()) {
      return List.of();
    }
    String runs = new StateTables(Dialect.POSTGRESQL, settings.stateSchema)
        .table(StateTables.RUNS);
    List<String> tables = new ArrayList<>();
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET);
        PreparedStatement s = c.prepareStatement("SELECT DISTINCT job FROM " + runs
            + " WHERE job IN (" + String.join(", ", Collections.nCopies(jobs.size(), "?"))
            + ")")) {
      for (int i = 0; i < jobs.size(); i++) {
        s.setString(i + 1, jobs.get(i));
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String job = rs.getString(1);
          plan.tables.stream().filter(t -> t.job().equals(job)).findFirst()
              .ifPresent(t -> tables.add(t.sourceTable()));
        }
      }
    }
    return tables;
  }

  /** The sync of every planned table, parents first, each through its backfill job. */
  DatabaseSync sync() throws SQLException {
    if (sync == null) {
      List<BackfillConfig> jobs = new ArrayList<>();
      for (TableTask task : plan.tables) {
        BackfillOptions backfill = OptionsCopy.of(options).as(BackfillOptions.class);
        task.configure(backfill, settings, target.url(), false);
        jobs.add(BackfillConfig.from(backfill, secrets));
      }
      sync = DatabaseSync.of(name, jobs, sourceTables(), options.getServerId());
    }
    return sync;
  }

  private List<List<String>> sourceTables() {
    List<List<String>> tables = new ArrayList<>();
    for (TableTask task : plan.tables) {
      tables.add(List.of(task.sourceTable()));
    }
    return tables;
  }
}
