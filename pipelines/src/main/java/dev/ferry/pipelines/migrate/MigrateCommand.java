package dev.ferry.pipelines.migrate;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.job.JobMain;
import dev.ferry.pipelines.profile.Failures;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.schema.ColumnMappingException;
import dev.ferry.schema.NameCollisionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ferry migrate}: a whole MySQL / MariaDB database to PostgreSQL, in phases per table.
 *
 * <ol>
 *   <li><b>created</b>: enum types and CREATE TABLE with primary keys (a table that already exists
 *       is kept and reported);
 *   <li><b>loaded</b>: every table copied by the backfill job {@code migrate-<db>-<table>} with its
 *       mapping file, largest first, up to {@code --parallelTables} large tables and small ones
 *       beside them in one pipeline ({@link LoadBatches});
 *   <li><b>constrained</b>: once all tables are loaded, indexes, CHECK constraints and foreign keys
 *       (those of cycles and self-references can only hold now), and identity sequences restarted
 *       past the loaded ids; then the ON UPDATE CURRENT_TIMESTAMP triggers and the views that
 *       PostgreSQL accepts ({@link AfterLoadObjects}; triggers, routines and refused views are
 *       listed in the summary and {@code not-migrated.sql});
 *   <li><b>verified</b>: each table checked against the source ({@link TableCheck}) right after
 *       its load, several at a time, and recorded once constrained.
 * </ol>
 *
 * <p>Each table's phase is kept in {@code ferry_migration} in the target (schema {@code ferry}
 * unless {@code --stateSchema}), so running the same command again after a failure continues
 * where it stopped: finished phases are not repeated, and a table interrupted while loading
 * resumes from the backfill's checkpoints. After the first table that fails no further table
 * starts; the run names it.
 *
 * <pre>
 * java -cp ferry-direct.jar dev.ferry.pipelines.migrate.MigrateCommand \
 *     --sourceUrl=jdbc:mysql://legacy:3306/shop --sourceUser=ferry --sourcePasswordEnv=SRC_PW \
 *     --targetUrl=jdbc:postgresql://new:5432/shop --targetUser=ferry --targetPasswordEnv=DST_PW
 * </pre>
 *
 * <p>With {@code --sync} the migration is zero-downtime ({@link MigrationSync}): the change
 * stream's position is taken before any table is read, and after the load every table's changes
 * are streamed into the target until stopped; {@code --cutover} ends it ({@link
 * MigrationCutover}).
 *
 * Exit codes: 0 migrated and verified, 1 failed, 2 invalid flags or a plan problem, 3 a table had
 * more dead-lettered rows than {@code --maxDeadLetters}, 4 a check found differences; with {@code
 * --sync} / {@code --cutover} also 6 source not ready, 7 a DDL change stopped the stream, 8 not
 * caught up.
 */
public final class MigrateCommand {
  private static final Logger LOG = LoggerFactory.getLogger(MigrateCommand.class);

  private MigrateCommand() {}

  public static void main(String[] args) {
    System.exit(run(args).exitCode);
  }

  /** Parses flags, migrates, prints the summary; never throws (see the exit code). */
  public static MigrationSummary run(String[] args) {
    return JobMain.run(args, MigrateOptions.class, MigrateCommand::run,
        message -> MigrationSummary.invalidFlags("migrate", message));
  }

  public static MigrationSummary run(MigrateOptions options, Secrets secrets) {
    if (options.getPlanOnly()) {
      return PlanCommand.run(options, secrets);
    }
    long start = System.nanoTime();
    MigrationSummary summary = new MigrationSummary();
    summary.command = "migrate";
    MigrateSettings settings = null;
    try {
      settings = MigrateSettings.from(options, secrets);
      JdbcEndpoint target = settings.requireTarget();
      summary.source = settings.source.toString();
      summary.target = target.toString();
      long planning = System.nanoTime();
      MigrationPlan plan = MigrationPlan.make(settings);
      summary.phaseSeconds.put("plan", (System.nanoTime() - planning) / 1e9);
      PlanCommand.describe(summary, plan);
      if (!plan.problems.isEmpty()) {
        LOG.error(plan.toConsole());
        throw new SpecException("plan", "problems", plan.problems.size() + " problem(s) stop"
            + " the migration (listed above and by ferry plan)");
      }
      TableCheck check = new ReconcileCheck(options, settings, target.url(), secrets);
      MigrationSync sync = new MigrationSync(options, secrets, settings, target, plan, summary);
      if (options.getCutover()) {
        new MigrationCutover(sync).run(check);
      } else {
        MigrationRun run = new MigrationRun(options, secrets, settings, target, plan, check,
            summary);
        if (options.getSync()) {
          sync.migrateAndStream(run);
        } else {
          run.run();
        }
      }
    } catch (SpecException | ColumnMappingException | NameCollisionException e) {
      summary.status = "invalid";
      summary.exitCode = ExitCodes.INVALID;
      summary.error = e.getMessage();
    } catch (TableFailure e) {
      summary.status = "failed";
      summary.exitCode = e.exitCode;
      summary.failedTable = e.table;
      summary.error = "table '" + e.table + "': " + e.getMessage();
    } catch (Exception e) {
      summary.status = "failed";
      summary.exitCode = ExitCodes.forFailure(e);
      summary.error = settings == null ? e.getMessage()
          : Failures.describe(e, settings.source, settings.target.orElse(null));
    }
    return summary.finish(start, PlanCommand.reportFile(settings));
  }
}
