package dev.ferry.runners.dataflow;

import dev.ferry.pipelines.cli.Ferry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of {@code ferry-dataflow.jar}: the {@code ferry} command with the
 * DataflowRunner as its default runner and {@link DataflowPreflight} run first, so a job with
 * unusable Dataflow options stops with every problem listed (exit code 2) before it plans
 * ranges, touches a database or contacts Google Cloud.
 *
 * <pre>
 * java -jar ferry-dataflow.jar backfill --spec=orders.yaml --project=my-project \
 *     --region=europe-west1 --tempLocation=gs://my-bucket/ferry/tmp
 * </pre>
 *
 * A Flex Template cannot pass a leading command word, only {@code --name=value} parameters, so
 * the command may also be given as {@code --command=backfill} (the default).
 */
public final class FerryDataflow {
  private FerryDataflow() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String[] args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    String command = null;
    if (!all.isEmpty() && !all.get(0).startsWith("--")) {
      command = all.remove(0);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).startsWith("--command=")) {
        String c = all.remove(i).substring("--command=".length());
        command = command == null ? c : command;
      }
    }
    if (command == null && (all.isEmpty() || all.contains("--help"))) {
      return Ferry.run(new String[] {"--help"});
    }
    if (command == null) {
      command = "backfill";
    }
    if (DataflowPreflight.flags(all).get("runner") == null) {
      all.add(0, "--runner=DataflowRunner");
    }
    if (DataflowPreflight.forDataflow(all) && !command.equals("help")) {
      List<String> problems = DataflowPreflight.check(all);
      if (!problems.isEmpty()) {
        System.err.println("ferry " + command + ": the Dataflow options cannot work ("
            + problems.size() + (problems.size() == 1 ? " problem" : " problems")
            + "; nothing was started):");
        problems.forEach(p -> System.err.println("  - " + p));
        return 2;
      }
    }
    all.add(0, command);
    return Ferry.run(all.toArray(new String[0]));
  }
}
