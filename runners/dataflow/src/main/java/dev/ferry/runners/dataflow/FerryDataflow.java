package dev.ferry.runners.dataflow;

import dev.ferry.pipelines.cli.Ferry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The entry point of {@code ferry-dataflow.jar}: the {@code ferry} command with the
 * DataflowRunner as its default runner, and checks run first, so a job that cannot work stops
 * with every problem listed (exit code 2) in seconds, before it plans ranges, touches a database
 * or contacts Google Cloud: the Dataflow options ({@link DataflowPreflight}) and whether this
 * machine has Google Cloud credentials at all ({@link CredentialsPreflight}).
 *
 * <pre>
 * java -jar ferry-dataflow.jar backfill --spec=orders.yaml --project=my-project \
 *     --region=europe-west1 --tempLocation=gs://my-bucket/ferry/tmp
 * </pre>
 *
 * The job is the first word, or {@code --command=<job>} where only flags can be passed (a Flex
 * Template, Airflow's Beam operator); there is no default, because a copy started by mistake
 * writes into the target. {@code --verdictFile=<local path>} leaves the launcher's state and
 * exit code in that file ({@link LauncherVerdict}) and its console in {@code <path>.log}, for a
 * scheduler that stops reading the launcher ({@link LauncherLog}). Reports and summaries may
 * be gs:// paths.
 */
public final class FerryDataflow {
  private FerryDataflow() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String[] args) {
    return run(args, CredentialsPreflight.ofThisMachine());
  }

  static int run(String[] args, CredentialsPreflight credentials) {
    if (args.length == 0 || List.of(args).contains("--help") || args[0].equals("help")) {
      return Ferry.run(args.length == 0 ? args : new String[] {"--help"});
    }
    Launch launch;
    try {
      launch = Launch.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ferry-dataflow: " + e.getMessage() + "; nothing was started");
      return 2;
    }
    if (launch.verdictFile == null) {
      return launch(launch, credentials);
    }
    LauncherVerdict verdict = new LauncherVerdict(launch.verdictFile, launch.command);
    try (LauncherLog log = LauncherLog.divert(launch.logFile())) {
      verdict.running();
      int exitCode = launch(launch, credentials);
      verdict.finished(exitCode);
      return exitCode;
    } catch (IOException e) {
      System.err.println("ferry-dataflow: cannot write --verdictFile=" + launch.verdictFile
          + " or its log: " + e.getMessage());
      return 2;
    }
  }

  private static int launch(Launch launch, CredentialsPreflight credentials) {
    if (DataflowPreflight.forDataflow(launch.flags)) {
      List<String> problems = new ArrayList<>(DataflowPreflight.check(launch.flags));
      problems.addAll(credentials.problems(DataflowPreflight.flags(launch.flags)));
      if (!problems.isEmpty()) {
        System.err.println("ferry " + launch.command + ": the Dataflow job cannot work ("
            + problems.size() + (problems.size() == 1 ? " problem" : " problems")
            + "; nothing was started):");
        problems.forEach(p -> System.err.println("  - " + p));
        return 2;
      }
      registerFileSystems(launch.flags);
    }
    List<String> all = new ArrayList<>(launch.flags);
    all.add(0, launch.command);
    return Ferry.run(all.toArray(new String[0]));
  }

  /**
   * Lets reports go to gs:// even when the job fails before Beam registers its filesystems
   * (it does so when a pipeline is created), with the job's own Google Cloud options.
   */
  private static void registerFileSystems(List<String> flags) {
    try {
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory
          .fromArgs(flags.toArray(new String[0])).withoutStrictParsing().create());
    } catch (IllegalArgumentException e) {
      // a malformed flag: the job's own option parsing reports it, with exit code 2
    }
  }

  /** What the launcher was asked for: the job, its flags (with the runner), the verdict file. */
  static final class Launch {
    final String command;
    final List<String> flags;
    final Path verdictFile;

    private Launch(String command, List<String> flags, Path verdictFile) {
      this.command = command;
      this.flags = List.copyOf(flags);
      this.verdictFile = verdictFile;
    }

    /** Where the launcher's console goes while a scheduler watches it: beside the verdict. */
    Path logFile() {
      return verdictFile.resolveSibling(verdictFile.getFileName() + ".log");
    }

    static Launch parse(String[] args) {
      List<String> flags = new ArrayList<>(Arrays.asList(args));
      String word = flags.get(0).startsWith("--") ? null : flags.remove(0);
      String flag = take(flags, "command");
      String verdict = take(flags, "verdictFile");
      if (word != null && flag != null && !word.equals(flag)) {
        throw new IllegalArgumentException("two jobs given, '" + word + "' and --command="
            + flag);
      }
      String command = word != null ? word : flag;
      if (command == null || command.isBlank()) {
        throw new IllegalArgumentException("which job? Give it as the first word (backfill,"
            + " reconcile, profile, dryrun) or as --command=<job>");
      }
      Map<String, String> given = DataflowPreflight.flags(flags);
      if (!given.containsKey("runner")) {
        flags.add(0, "--runner=DataflowRunner");
      }
      if (verdict != null && (verdict.isBlank() || verdict.contains("://"))) {
        throw new IllegalArgumentException("--verdictFile=" + verdict + ": must be a path on"
            + " this machine (the scheduler that runs the launcher reads it)");
      }
      return new Launch(command, flags, verdict == null ? null : Path.of(verdict));
    }

    /** Removes every --name=value flag of that name; the last value, or null. */
    private static String take(List<String> flags, String name) {
      String value = null;
      for (var it = flags.iterator(); it.hasNext(); ) {
        String a = it.next();
        if (a.startsWith("--" + name + "=")) {
          value = a.substring(name.length() + 3);
          it.remove();
        }
      }
      return value;
    }
  }
}
