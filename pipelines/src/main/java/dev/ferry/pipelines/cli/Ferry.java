package dev.ferry.pipelines.cli;

import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.reconcile.ReconcilePipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The {@code ferry} command: {@code ferry <command> [--flag=value ...]}. Each command is a job
 * with a main class of its own (for schedulers that call jobs by class); this entry point only
 * picks one and passes the flags on, after adding the runner defaults of {@link RunnerDefaults}.
 * The command is the first word, or {@code --command=<name>} anywhere among the flags.
 */
public final class Ferry {
  private static final Map<String, Command> COMMANDS = new TreeMap<>();

  static {
    COMMANDS.put("backfill", new Command("copy a table in resumable key ranges",
        BackfillOptions.class, args -> BackfillPipeline.run(args).exitCode));
    COMMANDS.put("fill", new Command("fill a column of a table in place where it is NULL",
        dev.ferry.pipelines.fill.FillOptions.class, args -> dev.ferry.pipelines.fill.FillPipeline.run(args).exitCode));
    COMMANDS.put("reconcile", new Command("prove the target holds exactly the source",
        dev.ferry.pipelines.reconcile.ReconcileOptions.class, args -> ReconcilePipeline.run(args).exitCode));
    COMMANDS.put("profile", new Command("profile a source table: columns, size, growth, findings",
        dev.ferry.pipelines.profile.ProfileOptions.class, args -> dev.ferry.pipelines.profile.ProfilePipeline.run(args).exitCode, true));
    COMMANDS.put("dryrun", new Command("copy ~1% of the ranges, time it, extrapolate the full run",
        dev.ferry.pipelines.dryrun.DryRunOptions.class, args -> dev.ferry.pipelines.dryrun.DryRunPipeline.run(args).exitCode));
    COMMANDS.put("plan", new Command("show what migrate would do: load order, DDL, mappings",
        dev.ferry.pipelines.migrate.MigrateOptions.class, args -> dev.ferry.pipelines.migrate.PlanCommand.run(args).exitCode));
    COMMANDS.put("deadletters", new Command("list, retry or accept a job's dead letters:"
        + " ferry deadletters list|retry|accept",
        dev.ferry.pipelines.deadletters.DeadLettersOptions.class, args -> dev.ferry.pipelines.deadletters.DeadLettersCommand.run(args).exitCode));
    COMMANDS.put("migrate", new Command("move a whole MySQL database to PostgreSQL, resumably",
        dev.ferry.pipelines.migrate.MigrateOptions.class, args -> dev.ferry.pipelines.migrate.MigrateCommand.run(args).exitCode));
    COMMANDS.put("sync", new Command("stream the source's changes into the target until stopped",
        dev.ferry.pipelines.sync.SyncOptions.class, dev.ferry.pipelines.sync.SyncCommand::run));
    COMMANDS.put("cutover", new Command("catch up, reconcile, restart sequences: ready to switch",
        dev.ferry.pipelines.sync.SyncOptions.class, dev.ferry.pipelines.sync.CutoverCommand::run));
  }

  private Ferry() {}

  /** One subcommand: what it does and how to run it. */
  private static final class Command {
    final String description;
    /** Its flags, for {@code --help}. */
    final Class<? extends PipelineOptions> options;
    final ToIntFunction<String[]> main;
    /** Whether its workers mostly compute in the JVM; see {@link RunnerDefaults}. */
    final boolean computeBound;

    Command(String description, Class<? extends PipelineOptions> options,
        ToIntFunction<String[]> main) {
      this(description, options, main, false);
    }

    Command(String description, Class<? extends PipelineOptions> options,
        ToIntFunction<String[]> main, boolean computeBound) {
      this.description = description;
      this.options = options;
      this.main = main;
      this.computeBound = computeBound;
    }
  }

  public static void main(String[] args) {
    StartupCompilation.hint();
    System.exit(run(args));
  }

  public static int run(String[] args) {
    args = commandFirst(args);
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      System.out.println(usage());
      return args.length == 0 ? 2 : 0;
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      System.err.println("unknown command '" + args[0] + "'\n\n" + usage());
      return 2;
    }
    if (Arrays.asList(args).subList(1, args.length).stream()
        .anyMatch(a -> a.equals("--help") || a.equals("help"))) {
      System.out.println(CommandHelp.of(args[0], command.description, command.options));
      return 0;
    }
    String[] rest = RunnerDefaults.apply(Arrays.copyOfRange(args, 1, args.length),
        command.computeBound);
    return command.main.applyAsInt(rest);
  }

  /**
   * {@code args} with a {@code --command=<name>} flag turned into the leading command word.
   * Schedulers pass only flags, and put their own first: Airflow's Beam operator runs
   * {@code java -cp <jar> <class> --runner=… --command=backfill …}.
   */
  static String[] commandFirst(String[] args) {
    if (args.length == 0 || !args[0].startsWith("--")) {
      return args;
    }
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--command=")) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        rest.remove(i);
        rest.add(0, args[i].substring("--command=".length()));
        return rest.toArray(new String[0]);
      }
    }
    return args;
  }

  private static String usage() {
    StringBuilder sb = new StringBuilder("usage: ferry <command> --spec=job.yaml [--flag=value ...]"
        + "\n\ncommands:\n");
    COMMANDS.forEach((name, c) -> sb.append(String.format("  %-10s %s%n", name, c.description)));
    sb.append("\nflags of a command: ferry <command> --help");
    return sb.toString();
  }
}
