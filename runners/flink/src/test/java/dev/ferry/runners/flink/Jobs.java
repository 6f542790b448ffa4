package dev.ferry.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.reconcile.ReconcileOptions;
import dev.ferry.pipelines.reconcile.ReconcilePipeline;
import dev.ferry.pipelines.reconcile.ReconcileReport;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs ferry's jobs in this JVM the way the command line does, on a runner of the caller's choice. */
final class Jobs {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * In-process Flink: a local cluster in this JVM, two parallel subtasks, and the defaults of
   * ferry-flink.jar ({@link FerryFlink}).
   */
  static final List<String> FLINK_LOCAL = withoutCommand(FerryFlink.withDefaults(new String[] {
      "backfill", "--flinkMaster=[local]", "--parallelism=2"}));

  /** The DirectRunner with its per-element immutability and encodability checks left on. */
  static final List<String> DIRECT = List.of("--runner=DirectRunner");

  private Jobs() {}

  private static List<String> withoutCommand(String[] args) {
    return List.of(Arrays.copyOfRange(args, 1, args.length));
  }

  /** The flags naming a copy of {@code items} from {@code source} to {@code target}. */
  static List<String> endpoints(String job, TestDatabase source, TestDatabase target) {
    return List.of("--job=" + job, "--sourceUrl=" + source.jdbcUrl(),
        "--sourceUser=" + source.user(), "--sourceTable=items",
        "--targetUrl=" + target.jdbcUrl(), "--targetUser=" + target.user(),
        "--partitions=6", "--batchSize=250", "--progressIntervalSeconds=60");
  }

  static RunSummary backfill(List<String> endpoints, List<String> runner) {
    PipelineOptionsFactory.register(BackfillOptions.class);
    BackfillOptions options = PipelineOptionsFactory.fromArgs(concat(endpoints, runner))
        .withValidation().as(BackfillOptions.class);
    return BackfillPipeline.run(options, new Secrets(Map.of()));
  }

  /** The reconcile job, by class: what a scheduler runs. */
  static final String RECONCILE_CLASS = ReconcilePipeline.class.getName();

  static ReconcileReport reconcile(List<String> endpoints, List<String> runner,
      String... more) {
    PipelineOptionsFactory.register(ReconcileOptions.class);
    List<String> flags = new ArrayList<>(runner);
    flags.addAll(Arrays.asList(more));
    ReconcileOptions options = PipelineOptionsFactory.fromArgs(concat(endpoints, flags))
        .withValidation().as(ReconcileOptions.class);
    ReconcileReport report = ReconcilePipeline.run(options, new Secrets(Map.of()));
    System.out.println(report.toConsole());
    return report;
  }

  private static String[] concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(new String[0]);
  }

  /**
   * A reconcile report without what names the databases or files (which differ between the two
   * runs being compared): everything left must be equal.
   */
  static JsonNode comparable(Path report) throws IOException {
    ObjectNode n = (ObjectNode) JSON.readTree(report.toFile());
    n.remove("differencesFile");
    n.remove("job");
    ((ObjectNode) n.get("source")).remove("endpoint");
    ((ObjectNode) n.get("target")).remove("endpoint");
    return n;
  }

  /** Each line of a differences file as "class key [columns]", sorted. */
  static TreeSet<String> differences(Path file) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    for (String line : Files.readAllLines(file)) {
      JsonNode n = JSON.readTree(line);
      List<String> columns = new ArrayList<>();
      if (n.has("columns")) {
        n.get("columns").forEach(c -> columns.add(c.asText()));
      }
      out.add(n.get("class").asText() + " " + n.get("key") + (columns.isEmpty() ? ""
          : " " + columns));
    }
    return out;
  }
}
