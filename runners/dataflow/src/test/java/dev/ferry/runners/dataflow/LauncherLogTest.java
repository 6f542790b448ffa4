package dev.ferry.runners.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * With the jar's logging configuration (src/main/resources/logback.xml), DataflowRunner's
 * "Submitted job" line reaches the scheduler in a form Airflow's Google provider recognizes,
 * and while a scheduler watches, everything else goes to the launcher's log file.
 */
class LauncherLogTest {
  // apache-airflow-providers-google, hooks/dataflow.py: JOB_ID_PATTERN (its Java job id group)
  private static final Pattern AIRFLOW_JOB_ID = Pattern.compile("Submitted job: ([^\"\\n\\s]*)");
  private static final String JOB_ID = "2026-12-07_06_07_08-4242424242";

  /**
   * The jar's configuration, not a logback-test.xml that a reactor build may put first on the
   * test classpath (transforms' test classes have one).
   */
  @BeforeEach
  void configureAsTheJar() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(FerryDataflow.class.getResource("/logback.xml"));
  }

  @AfterEach
  void configureAsBefore() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void onlyTheSubmissionReachesTheSchedulerTheRestTheFile(@TempDir Path dir) throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream scheduler = new ByteArrayOutputStream();
    Path file = dir.resolve("verdict.json.log");
    System.setOut(new PrintStream(scheduler, true, StandardCharsets.UTF_8));
    try (LauncherLog log = LauncherLog.divert(file)) {
      LoggerFactory.getLogger(DataflowRunner.class).info("Submitted job: {}", JOB_ID);
      LoggerFactory.getLogger("dev.ferry.pipelines.backfill.ProgressReporter")
          .info("orders: ranges 3/16 | read 30000 written 30000");
      LoggerFactory.getLogger("org.apache.beam.sdk.Pipeline").info("Beam's own INFO chatter");
      System.out.println("== ferry backfill orders: SUCCEEDED ==");
    } finally {
      System.setOut(stdout);
    }
    String seen = scheduler.toString(StandardCharsets.UTF_8);
    Matcher m = AIRFLOW_JOB_ID.matcher(seen);
    assertTrue(m.find(), "no job id for the scheduler in: " + seen);
    assertEquals(JOB_ID, m.group(1));
    assertEquals(1, seen.lines().count(), seen);

    String logged = Files.readString(file);
    assertTrue(logged.contains("Submitted job: " + JOB_ID), logged);
    assertTrue(logged.contains("ranges 3/16"), logged);
    assertTrue(logged.contains("== ferry backfill orders: SUCCEEDED =="), logged);
    assertTrue(!logged.contains("Beam's own INFO chatter"), "org.apache.beam stays at WARN");
  }
}
