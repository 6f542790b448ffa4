package dev.ferry.runners.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Airflow DAG in runners/airflow is valid Python, and its options are what ferry expects
 * (runners/airflow/check_dag.py loads it against stand-ins for Airflow, which CI does not
 * install). Needs python3, which CI machines have; skipped, saying so, where it is missing.
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
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + List.of(command));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void dagCompilesAndBuildsTheOptionsFerryExpects() throws Exception {
    String python = python();
    assumeTrue(python != null, "python3 is not on the PATH: the Airflow DAG was not checked");
    Path dag = AIRFLOW.resolve("ferry_migration_dag.py");
    Path compiled = Files.createTempFile("ferry_migration_dag", ".pyc");
    run(python, "-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2],"
        + " doraise=True)", dag.toString(), compiled.toString());
    Files.deleteIfExists(compiled);
    assertEquals("ok", run(python, "-B", AIRFLOW.resolve("check_dag.py").toString()).strip());
  }
}
