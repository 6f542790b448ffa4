package dev.ferry.runners.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Submits a backfill and a reconcile to a Flink session cluster running in JVMs of its own, by
 * address, with the bundled jar staged, the way a user submits to their cluster:
 *
 * <pre>
 * java -jar ferry-flink.jar backfill --runner=FlinkRunner --flinkMaster=127.0.0.1:PORT \
 *     --filesToStage=ferry-flink.jar ...
 * </pre>
 *
 * The launcher is a JVM of its own too, started from the shaded jar alone. Runs after
 * {@code package} (Failsafe), because it needs {@code target/ferry-flink.jar}.
 */
class FlinkClusterIT {
  private static final long JOB_TIMEOUT_SECONDS = 240;

  private static Path dir;
  private static FlinkCluster cluster;
  private static Path jar;

  @BeforeAll
  static void startCluster() throws Exception {
    jar = Path.of(System.getProperty("ferry.flink.jar", "target/ferry-flink.jar"))
        .toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), jar + " is built by `mvn package`");
    dir = Files.createTempDirectory("flink-cluster-");
    cluster = FlinkCluster.start(dir);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (dir != null) {
      Processes.deleteTree(dir);
    }
  }

  @Test
  void backfillAndReconcileSubmittedToAClusterByAddress() throws Exception {
    TestDatabase source = EmbeddedDatabases.newPostgres();
    TestDatabase target = EmbeddedDatabases.newPostgres();
    Items.seed(source);
    target.execute(Items.DDL);
    List<String> submit = List.of("--runner=FlinkRunner", "--flinkMaster=" + cluster.address(),
        "--filesToStage=" + jar, "--parallelism=2");

    Path summary = dir.resolve("summary.json");
    List<String> backfill = Processes.list(FlinkCluster.javaBinary(), "-Xmx512m", "-jar",
        jar.toString(), "backfill");
    backfill.addAll(Jobs.endpoints("items-on-cluster", source, target));
    backfill.addAll(submit);
    backfill.add("--summaryFile=" + summary);
    Path backfillLog = dir.resolve("backfill.log");
    int exit = Processes.run(backfill, backfillLog, JOB_TIMEOUT_SECONDS);
    assertEquals(0, exit, () -> Processes.tail(backfillLog, 60) + cluster.logs());
    JsonNode s = Jobs.JSON.readTree(summary.toFile());
    assertEquals(Items.ROWS, s.get("rowsRead").asLong(), "rows read, from the cluster's metrics");
    assertEquals(Items.ROWS, s.get("rowsWritten").asLong());
    assertEquals(Items.rows(source), Items.rows(target));
    assertEquals(List.of("FINISHED"), jobStates(), "the backfill ran on the cluster");

    Items.inject(target);
    Path report = dir.resolve("reconcile.json");
    // By class, as a scheduler calls a job: java -cp ferry-flink.jar <job class> <flags>.
    List<String> reconcile = Processes.list(FlinkCluster.javaBinary(), "-Xmx512m", "-cp",
        jar.toString(), Jobs.RECONCILE_CLASS);
    reconcile.addAll(Jobs.endpoints("items-on-cluster", source, target));
    reconcile.addAll(submit);
    // A job class gets none of ferry-flink.jar's defaults (FerryFlink): a scheduler passes them.
    reconcile.addAll(List.of("--fasterCopy=true", "--useDataStreamForBatch=true"));
    reconcile.add("--report=" + report);
    Path reconcileLog = dir.resolve("reconcile.log");
    exit = Processes.run(reconcile, reconcileLog, JOB_TIMEOUT_SECONDS);
    assertEquals(4, exit, () -> "exit code 4: differences found\n"
        + Processes.tail(reconcileLog, 60) + cluster.logs());
    JsonNode r = Jobs.JSON.readTree(report.toFile());
    assertEquals(Items.ROWS - 6, r.get("counts").get("match").asLong(), "2 missing and 4 mismatched keys");
    assertEquals(new TreeSet<>(Items.INJECTED),
        Jobs.differences(Path.of(r.get("differencesFile").asText())));
    assertEquals(List.of("FINISHED", "FINISHED"), jobStates(), "the reconcile ran there too");

    // The Flink CLI, as runners.md documents it: flink run -c dev.ferry.pipelines.cli.Ferry
    // ferry-flink.jar backfill ... A re-copy repairs what the reconcile found, except the
    // extra row: a backfill never deletes.
    List<String> flinkRun = Processes.list(FlinkCluster.javaBinary(), "-Xmx512m",
        "-cp", FlinkCluster.flinkClasspath(), "org.apache.flink.client.cli.CliFrontend",
        "run", "-c", "dev.ferry.pipelines.cli.Ferry", jar.toString(), "backfill",
        "--runner=FlinkRunner", "--fasterCopy=true", "--useDataStreamForBatch=true",
        "--parallelism=2", "--restart");
    flinkRun.addAll(Jobs.endpoints("items-on-cluster", source, target));
    Path flinkRunLog = dir.resolve("flink-run.log");
    exit = Processes.run(flinkRun, flinkRunLog, JOB_TIMEOUT_SECONDS, Map.of("FLINK_CONF_DIR",
        cluster.dir().resolve("conf").toString()));
    assertEquals(0, exit, () -> Processes.tail(flinkRunLog, 60) + cluster.logs());
    target.execute("delete from items where id = 100001");
    assertEquals(Items.rows(source), Items.rows(target));
    assertEquals(List.of("FINISHED", "FINISHED", "FINISHED"), jobStates());
  }

  private static List<String> jobStates() throws Exception {
    List<String> states = new ArrayList<>();
    for (JsonNode job : cluster.rest("/jobs/overview").get("jobs")) {
      states.add(job.get("state").asText());
    }
    return states;
  }
}
