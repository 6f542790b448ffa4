package dev.ferry.runners.direct;

import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.cli.RunnerDefaults;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The end-to-end demo: starts an embedded MariaDB (the legacy source) and PostgreSQL (the new
 * target), seeds a realistic legacy table and runs {@code pipelines/demo.yaml} on the
 * DirectRunner, then shows what arrived, what was dead-lettered and why, and that a second run
 * finds nothing left to do.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    try {
      System.exit(demo(args));
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static int demo(String[] args) {
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    System.out.println("Starting embedded MariaDB (source) and PostgreSQL (target)...");
    TestDatabase source = EmbeddedDatabases.newMariaDb();
    TestDatabase target = EmbeddedDatabases.newPostgres();
    String password = "demo-" + Long.toHexString(System.nanoTime());
    DemoData.seedSource(source);
    DemoData.createTarget(target);
    System.out.printf("Seeded %,d legacy rows in MariaDB %s.customers%n",
        source.count("customers"), source.name());

    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("DEMO_SOURCE_URL", source.jdbcUrl());
    env.put("DEMO_SOURCE_PASSWORD", password);
    env.put("DEMO_TARGET_URL", target.jdbcUrl());
    String spec = "--spec=" + root.resolve("pipelines/demo.yaml");
    RunSummary first = run(spec, env);

    System.out.println("\nA few migrated rows (PostgreSQL):");
    for (List<Object> row : target.query("SELECT customer_id, email, full_name, city,"
        + " signed_up_at, active FROM customers WHERE customer_id IN (7, 8, 14, 130000)"
        + " ORDER BY customer_id")) {
      System.out.println("  " + row);
    }
    System.out.println("\nDead letters by stage and column: [stage, column, rows, first key,"
        + " reason] (all in ferry_dead_letter and target/demo/dead-letters.jsonl):");
    for (List<Object> row : target.query("SELECT stage, column_name, count(*), min(row_key),"
        + " min(error) FROM ferry_dead_letter GROUP BY stage, column_name ORDER BY stage")) {
      System.out.println("  " + row);
    }
    System.out.println("\nRunning the same command again: resumable and idempotent, so there is"
        + " nothing left to do.");
    RunSummary second = run(spec, env);
    int exit = Math.max(first.exitCode, second.exitCode);
    System.out.println(exit == 0 ? "\nDemo finished." : "\nDemo FAILED (exit " + exit + ").");
    return exit;
  }

  private static RunSummary run(String spec, Map<String, String> env) {
    String[] args = RunnerDefaults.apply(new String[] {spec, "--progressIntervalSeconds=2"});
    PipelineOptionsFactory.register(BackfillOptions.class);
    BackfillOptions options = PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(BackfillOptions.class);
    return BackfillPipeline.run(options, new Secrets(env));
  }
}
