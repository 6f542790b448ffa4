package dev.ferry.pipelines.fill;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs the fill job in-process on the DirectRunner, with its checks on, as a user would. */
final class Fills {
  private Fills() {}

  /** Starts the fill in a child JVM (to be killed), its output in {@code log}. */
  static Process child(File log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"),
        "bin", "java").toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        FillPipeline.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }

  /** How many rows the checkpoints account for; may fail while the state is not there yet. */
  @FunctionalInterface
  interface Progress {
    long rows() throws Exception;
  }

  /** Waits until {@code progress} reaches {@code rows} while the child runs; returns it. */
  static long waitForProgress(Progress progress, long rows, Process child, File log)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        throw new AssertionError("the child ended before it could be killed:\n"
            + Files.readString(log.toPath()));
      }
      try {
        long n = progress.rows();
        if (n >= rows) {
          return n;
        }
      } catch (IllegalStateException notYetCreated) {
        // the child has not created its state yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no progress within 90 s; the child's output:\n"
        + Files.readString(log.toPath()));
  }

  static RunSummary run(String... args) {
    PipelineOptionsFactory.register(FillOptions.class);
    FillOptions options = PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(FillOptions.class);
    return FillPipeline.run(options, new Secrets(Map.of()));
  }

  /**
   * A spec that fills {@code orders.email_lower} with the trimmed, lower-cased email and {@code
   * orders.phone} from {@code email_lookup} by that value, with the given lookup strategy.
   */
  static Path phoneSpec(Path dir, String job, TestDatabase db, String strategy)
      throws IOException {
    Path spec = dir.resolve(job + ".yaml");
    Files.writeString(spec, String.join("\n",
        "job: " + job,
        "source:",
        "  url: " + db.jdbcUrl(),
        "  user: " + db.user(),
        "  table: orders",
        "fill:",
        "  columns: [email_lower, phone]",
        "mapping:",
        "  columns:",
        "    - {name: email_lower, from: email, ops: [trim, lower]}",
        "  lookups:",
        "    - table: email_lookup",
        "      on: [email_lower]",
        "      key: [email]",
        "      columns: [phone]",
        "      strategy: " + strategy,
        "partitions: 4",
        "batchSize: 200",
        ""));
    return spec;
  }
}
