package dev.ferry.runners.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.beans.Introspector;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Flex Template's metadata names real ferry flags, and launch.sh builds and runs it. */
class FlexTemplateTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();

  /** Every flag of the jobs a template can run. */
  private static Set<String> ferryFlags() {
    Set<String> flags = new TreeSet<>();
    for (String type : List.of("dev.ferry.pipelines.backfill.BackfillOptions",
        "dev.ferry.pipelines.reconcile.ReconcileOptions",
        "dev.ferry.pipelines.profile.ProfileOptions")) {
      try {
        for (Method m : Class.forName(type).getMethods()) {
          if (m.getName().startsWith("get") && m.getParameterCount() == 0) {
            flags.add(Introspector.decapitalize(m.getName().substring(3)));
          }
        }
      } catch (ClassNotFoundException e) {
        throw new AssertionError("no options class " + type, e);
      }
    }
    return flags;
  }

  @Test
  void everyParameterIsAFerryFlag() throws Exception {
    JsonNode metadata = new ObjectMapper().readTree(MODULE.resolve("metadata.json").toFile());
    Set<String> flags = ferryFlags();
    boolean reconcileBuilt = flags.contains("fastPath");
    List<String> required = new ArrayList<>();
    for (JsonNode p : metadata.get("parameters")) {
      String name = p.get("name").asText();
      assertTrue(name.matches("[a-zA-Z][a-zA-Z0-9]*"), name);
      assertTrue(p.hasNonNull("label") && p.hasNonNull("helpText"), name);
      boolean reconcileOnly = Set.of("fastPath", "tolerance", "sample").contains(name);
      assertTrue(name.equals("command") || flags.contains(name)
          || reconcileOnly && !reconcileBuilt, name + " is not a flag of ferry's jobs");
      if (!p.get("isOptional").asBoolean()) {
        required.add(name);
      }
    }
    assertEquals(List.of("command", "job", "sourceUrl", "targetUrl"), required);
  }

  @Test
  void launchScriptBuildsAndRunsTheTemplate() throws Exception {
    Map<String, String> env = Map.of("DRY_RUN", "1", "PROJECT", "ferry-demo-123",
        "REGION", "europe-west1", "BUCKET", "gs://ferry-demo/");
    String build = launch(env, "build");
    assertTrue(build.startsWith("gcloud dataflow flex-template build"
        + " gs://ferry-demo/templates/ferry-"), build);
    assertTrue(build.contains("--env=FLEX_TEMPLATE_JAVA_MAIN_CLASS="
        + FerryDataflow.class.getName()), build);
    assertTrue(build.contains("--metadata-file=" + MODULE.resolve("metadata.json")), build);
    String run = launch(env, "run", "orders-1", "job=orders", "sourceKey=a,b");
    assertTrue(run.contains("--region=europe-west1"), run);
    assertTrue(run.contains("--temp-location=gs://ferry-demo/temp"), run);
    assertTrue(run.contains("--parameters=\\^~\\^job=orders~sourceKey=a\\,b"), run);
  }

  private static String launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", MODULE.resolve("launch.sh")
        .toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
