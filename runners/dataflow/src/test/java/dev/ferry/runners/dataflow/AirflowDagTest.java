package dev.ferry.runners.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.cli.Ferry;
import dev.ferry.pipelines.cli.RunnerDefaults;
import dev.ferry.pipelines.profile.ProfileOptions;
import dev.ferry.pipelines.reconcile.ReconcileOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * The Airflow DAG in runners/airflow is valid Python, its tasks behave (runners/airflow/
 * check_dag.py runs them against stand-ins for Airflow and its Beam provider, which CI does not
 * install), and the command lines it starts pass the jars' own option checks. Needs python3
 * with jinja2 (Airflow's template engine); skipped, saying so, where python3 is missing.
 */
class AirflowDagTest {
  private static final Path AIRFLOW = Path.of("..", "airflow").toAbsolutePath().normalize();

  private static String python() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "python3"))) {
        return Path.of(dir, "python3").toString();
      }
    }
    return null;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + List.of(command));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static final Map<String, Class<? extends PipelineOptions>> OPTIONS = Map.of(
      "backfill", BackfillOptions.class, "reconcile", ReconcileOptions.class,
      "profile", ProfileOptions.class);

  @Test
  void dagCompilesAndItsTasksBehave() throws Exception {
    String python = python();
    assumeTrue(python != null, "python3 is not on the PATH: the Airflow DAG was not checked");
    Path dag = AIRFLOW.resolve("ferry_migration_dag.py");
    Path compiled = Files.createTempFile("ferry_migration_dag", ".pyc");
    run(python, "-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2],"
        + " doraise=True)", dag.toString(), compiled.toString());
    Files.deleteIfExists(compiled);
    assertEquals("ok", run(python, "-B", AIRFLOW.resolve("check_dag.py").toString()).strip());
  }

  /**
   * Every command line of the DAG's examples, as the Beam operator would start it, passes the
   * checks its entry point runs: DirectRunner through ferry's option parsing (with the bundle's
   * defaults), Dataflow through FerryDataflow's preflight and ferry's option parsing (typed:
   * usePublicIps is false, the labels a map). DataflowRunner's own checks need Google Cloud.
   * Flink's command lines are not checked here (no Flink runner on this classpath).
   */
  @Test
  void theDagsCommandLinesPassTheJarsChecks() throws Exception {
    String python = python();
    assumeTrue(python != null, "python3 is not on the PATH: the Airflow DAG was not checked");
    JsonNode commands = new ObjectMapper().readTree(
        run(python, "-B", AIRFLOW.resolve("check_dag.py").toString(), "--commands"));
    assertEquals(6, commands.size(), commands.toString());
    for (JsonNode c : commands) {
      List<String> argv = new ArrayList<>();
      c.get("argv").forEach(a -> argv.add(a.asText()));
      String mainClass = argv.get(2);
      List<String> args = argv.subList(3, argv.size());
      String step = c.get("step").asText();
      if (c.get("runner").asText().equals("DataflowRunner")) {
        assertEquals(FerryDataflow.class.getName(), mainClass);
        FerryDataflow.Launch launch = FerryDataflow.Launch.parse(args.toArray(new String[0]));
        assertEquals(step, launch.command);
        assertEquals(List.of(), DataflowPreflight.check(launch.flags), argv.toString());
        DataflowPipelineOptions options = parse(launch.flags, step)
            .as(DataflowPipelineOptions.class);
        assertEquals(false, options.getUsePublicIps());
        assertEquals("v3-1-0", options.getLabels().get("airflow-version"));
        assertTrue(options.getJobName().startsWith("ferry-orders-" + step + "-"),
            options.getJobName());
      } else {
        assertEquals(Ferry.class.getName(), mainClass);
        List<String> rest = new ArrayList<>(args);
        assertTrue(rest.remove("--command=" + step), rest.toString());
        parse(List.of(RunnerDefaults.apply(rest.toArray(new String[0]))), step);
      }
    }
  }

  private static PipelineOptions parse(List<String> args, String step) {
    PipelineOptionsFactory.register(OPTIONS.get(step));
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).withValidation()
        .as(OPTIONS.get(step));
  }
}
