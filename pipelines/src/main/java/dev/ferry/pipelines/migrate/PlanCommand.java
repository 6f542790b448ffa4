package dev.ferry.pipelines.migrate;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.job.JobMain;
import dev.ferry.pipelines.profile.Failures;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.schema.ColumnMappingException;
import dev.ferry.schema.NameCollisionException;
import dev.ferry.schema.SourceObject;
import dev.ferry.schema.Warning;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ferry plan}: shows what {@code ferry migrate} would do with the same flags, without
 * touching the target: the tables in load order with row counts, how each is read, the DDL before
 * and after the load, the identity restarts, the warnings of the schema translation and anything
 * that stops the migration. It writes one mapping file per table for you to edit (never
 * overwriting one you edited, unless {@code --overwrite}).
 *
 * <pre>
 * java -cp ferry-direct.jar dev.ferry.pipelines.migrate.PlanCommand \
 *     --sourceUrl=jdbc:mysql://legacy:3306/shop --sourceUser=ferry --sourcePasswordEnv=SRC_PW
 * </pre>
 *
 * Exit codes: 0 planned, 1 failed (the source could not be read), 2 invalid flags or a plan
 * problem (listed).
 */
public final class PlanCommand {
  private PlanCommand() {}

  public static void main(String[] args) {
    System.exit(run(args).exitCode);
  }

  /** Parses flags, plans, prints; never throws (see the exit code). */
  public static MigrationSummary run(String[] args) {
    return JobMain.run(args, MigrateOptions.class, PlanCommand::run,
        message -> MigrationSummary.invalidFlags("plan", message));
  }

  public static MigrationSummary run(MigrateOptions options, Secrets secrets) {
    long start = System.nanoTime();
    MigrationSummary summary = new MigrationSummary();
    summary.command = "plan";
    MigrateSettings settings = null;
    try {
      settings = MigrateSettings.from(options, secrets);
      summary.source = settings.source.toString();
      MigrationPlan plan = MigrationPlan.make(settings);
      describe(summary, plan);
      System.out.println(plan.toConsole());
      if (!plan.problems.isEmpty()) {
        return invalid(summary, plan.problems.size() + " problem(s) stop the migration",
            start, settings);
      }
      summary.status = "planned";
      summary.exitCode = ExitCodes.OK;
    } catch (SpecException | ColumnMappingException | NameCollisionException e) {
      return invalid(summary, e.getMessage(), start, settings);
    } catch (Exception e) {
      summary.status = "failed";
      summary.exitCode = ExitCodes.forFailure(e);
      summary.error = settings == null ? e.getMessage()
          : Failures.describe(e, settings.source, settings.target.orElse(null));
    }
    return summary.finish(start, reportFile(settings));
  }

  /** Copies the plan's facts into the summary (tables, warnings, problems). */
  static void describe(MigrationSummary summary, MigrationPlan plan) {
    summary.migration = plan.schema.name();
    summary.warnings = plan.warnings();
    for (Warning w : plan.ddl.report().warnings()) {
      MigrationSummary.WarningDetail detail = new MigrationSummary.WarningDetail();
      detail.kind = w.kind().name();
      detail.table = w.table();
      detail.column = w.column().orElse(null);
      detail.message = w.message();
      summary.warningDetails.add(detail);
    }
    Map<SourceObject, String> untranslated = new HashMap<>();
    NotMigratedFile.untranslated(plan.objects).forEach(e -> untranslated.put(e.object(),
        e.reason()));
    for (SourceObject o : plan.objects) {
      String reason = untranslated.get(o);
      summary.objects.add(objectResult(o, reason == null ? "planned" : "not migrated", reason));
    }
    summary.notMigrated = untranslated.size();
    if (summary.notMigrated > 0) {
      summary.notMigratedFile = plan.mappingsDir.resolve(NotMigratedFile.NAME).toString();
    }
    summary.problems.addAll(plan.problems);
    plan.ddl.renames().forEach(r -> summary.renames.add(r.toString()));
    for (TableTask task : plan.tables) {
      MigrationSummary.TableResult result = new MigrationSummary.TableResult();
      result.table = task.sourceTable();
      result.targetTable = task.quotedTarget();
      result.phase = "planned";
      result.job = task.job();
      result.sourceRows = task.rows().toString();
      result.detail = "mapping " + task.mappingFile().getFileName() + " ("
          + plan.mappingOutcomes.get(task.sourceTable()) + ")";
      summary.tables.add(result);
    }
  }

  static MigrationSummary.ObjectResult objectResult(SourceObject o, String status,
      String reason) {
    MigrationSummary.ObjectResult result = new MigrationSummary.ObjectResult();
    result.kind = o.kind().label();
    result.name = o.name();
    result.table = o.table().orElse(null);
    result.status = status;
    result.reason = reason;
    return result;
  }

  private static MigrationSummary invalid(MigrationSummary summary, String error, long start,
      MigrateSettings settings) {
    summary.status = "invalid";
    summary.exitCode = ExitCodes.INVALID;
    summary.error = error;
    return summary.finish(start, reportFile(settings));
  }

  static Optional<String> reportFile(MigrateSettings settings) {
    return settings == null ? Optional.empty() : settings.reportFile;
  }
}
