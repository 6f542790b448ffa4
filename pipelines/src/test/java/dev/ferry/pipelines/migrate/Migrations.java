package dev.ferry.pipelines.migrate;

import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs plan and migrate in-process on the DirectRunner, with its checks on, as a user would. */
final class Migrations {
  private Migrations() {}

  static MigrateOptions options(TestDatabase source, TestDatabase target, Path mappings,
      String... more) {
    List<String> small = new ArrayList<>(List.of("--partitions=2", "--batchSize=200"));
    small.addAll(List.of(more));
    return optionsAtDefaults(source, target, mappings, small.toArray(new String[0]));
  }

  /** Options with migrate's own key ranges and load chunks, as a user runs it. */
  static MigrateOptions optionsAtDefaults(TestDatabase source, TestDatabase target,
      Path mappings, String... more) {
    List<String> args = new ArrayList<>(List.of("--sourceUrl=" + source.jdbcUrl(),
        "--sourceUser=" + source.user(), "--mappingsDir=" + mappings));
    if (target != null) {
      args.add("--targetUrl=" + target.jdbcUrl());
      args.add("--targetUser=" + target.user());
    }
    args.addAll(List.of(more));
    PipelineOptionsFactory.register(MigrateOptions.class);
    // As in one JVM that ran a backfill before: both option interfaces known to Beam at once.
    PipelineOptionsFactory.register(BackfillOptions.class);
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).withValidation()
        .as(MigrateOptions.class);
  }

  static MigrationSummary migrate(TestDatabase source, TestDatabase target, Path mappings,
      String... more) {
    return MigrateCommand.run(options(source, target, mappings, more), new Secrets(Map.of()));
  }

  static MigrationSummary plan(TestDatabase source, Path mappings, String... more) {
    return PlanCommand.run(options(source, null, mappings, more), new Secrets(Map.of()));
  }

  static MigrationPlan makePlan(TestDatabase source, Path mappings, String... more)
      throws Exception {
    return MigrationPlan.make(MigrateSettings.from(options(source, null, mappings, more),
        new Secrets(Map.of())));
  }

  /** The phase of every table in ferry.ferry_migration (the default --stateSchema), by table. */
  static Map<String, String> phases(TestDatabase target) {
    Map<String, String> phases = new java.util.TreeMap<>();
    for (List<Object> row : target.query("SELECT source_table, phase FROM ferry.ferry_migration")) {
      phases.put((String) row.get(0), (String) row.get(1));
    }
    return phases;
  }
}
