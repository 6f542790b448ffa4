package dev.ferry.runners.dataflow;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The launcher's console in a file while a scheduler watches it: everything goes to the file,
 * and only DataflowRunner's own lines ("Submitted job: &lt;id&gt;", the console link) also to
 * the real standard output.
 *
 * <p>Why: Airflow's Beam operator stops reading the launcher's output once it has the job id,
 * but keeps the pipe open. The launcher then waits for the job and logs its progress; once the
 * pipe's buffer (64 KiB on Linux) is full, every further line blocks the launcher for good, and
 * the verdict is never written. The scheduler shows the file when the launcher is done.
 */
final class LauncherLog implements AutoCloseable {
  static final String SUBMISSION_LOGGER = "org.apache.beam.runners.dataflow.DataflowRunner";

  private final PrintStream out = System.out;
  private final PrintStream err = System.err;
  private final PrintStream file;
  private final OutputStreamAppender<ILoggingEvent> console;

  private LauncherLog(Path path) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    file = new PrintStream(new FileOutputStream(path.toFile(), true), true,
        StandardCharsets.UTF_8);
    console = consoleAppender(out);
    System.setOut(file);
    System.setErr(file);
  }

  /** Diverts this JVM's console to {@code path} until closed. */
  static LauncherLog divert(Path path) throws IOException {
    return new LauncherLog(path);
  }

  /** An appender on DataflowRunner's logger that writes to {@code stdout} as the jar logs. */
  private static OutputStreamAppender<ILoggingEvent> consoleAppender(PrintStream stdout) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return null;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss} %-5level %msg%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName("scheduler");
    appender.setEncoder(encoder);
    appender.setImmediateFlush(true);
    // never closes the stream: it is this process's standard output
    appender.setOutputStream(new PrintStream(stdout, true, StandardCharsets.UTF_8) {
      @Override
      public void close() {
        flush();
      }
    });
    appender.start();
    context.getLogger(SUBMISSION_LOGGER).addAppender(appender);
    return appender;
  }

  @Override
  public void close() {
    if (console != null) {
      Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory())
          .getLogger(SUBMISSION_LOGGER);
      logger.detachAppender(console);
      console.stop();
    }
    System.setOut(out);
    System.setErr(err);
    file.close();
  }
}
