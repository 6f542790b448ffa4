package dev.ferry.pipelines.reliability;

import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.Backfills;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs backfills for the fault tests: in this JVM, or in a child JVM that a test can kill. */
final class Runs {
  private Runs() {}

  /** Flags for a copy of {@code table} from one test database to another. */
  static List<String> flags(String job, TestDatabase source, TestDatabase target, String table) {
    return new ArrayList<>(Arrays.asList("--job=" + job, "--sourceUrl=" + source.jdbcUrl(),
        "--sourceUser=" + source.user(), "--sourceTable=" + table,
        "--targetUrl=" + target.jdbcUrl(), "--targetUser=" + target.user(),
        "--partitions=4", "--batchSize=500", "--progressIntervalSeconds=60"));
  }

  /** The flags with {@code more} added, replacing flags of the same name. */
  static List<String> with(List<String> flags, String... more) {
    return Backfills.with(flags, more);
  }

  /** Runs the backfill job in this JVM on the DirectRunner, with its checks on. */
  static RunSummary run(List<String> flags, String... more) {
    PipelineOptionsFactory.register(BackfillOptions.class);
    BackfillOptions options = PipelineOptionsFactory
        .fromArgs(with(flags, more).toArray(new String[0])).withValidation()
        .as(BackfillOptions.class);
    return BackfillPipeline.run(options, new Secrets(Map.of()));
  }

  /** Starts the backfill job in a child JVM with the given heap; its output goes to {@code log}. */
  static Process child(List<String> flags, String maxHeap, File log, String... jvmOptions)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        BackfillPipeline.class.getName()));
    command.addAll(flags);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }

  /** Rows whose chunks are committed in the target (0 before the state tables exist). */
  static long committedRows(TestDatabase target) {
    try {
      Object n = target.scalar("SELECT COALESCE(sum(rows_read), 0) FROM ferry_progress");
      return ((Number) n).longValue();
    } catch (IllegalStateException notYetCreated) {
      return 0;
    }
  }


  /** Waits until {@code rows} rows are committed by the child, which must still be alive. */
  static void waitForCommitted(TestDatabase dst, long rows, Process child, File log)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        throw new AssertionError("the child ended before it could be killed:\n"
            + tail(log));
      }
      if (committedRows(dst) >= rows) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("no progress within 90 s:\n" + tail(log));
  }

  /**
   * Heap use a JVM logged with {@code -Xlog:gc:file=...}: the highest occupancy before any
   * collection (live data plus garbage not yet collected) and the highest after one (what was
   * still reachable), in MiB.
   */
  static String heap(File gcLog, long maxMib) throws IOException {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)M->(\\d+)M")
        .matcher(Files.readString(gcLog.toPath()));
    long before = 0;
    long after = 0;
    while (m.find()) {
      before = Math.max(before, Long.parseLong(m.group(1)));
      after = Math.max(after, Long.parseLong(m.group(2)));
    }
    return "peak " + before + " MiB before a collection, " + after + " MiB live after one"
        + " (max " + maxMib + " MiB)";
  }

  static String tail(File log) {
    try {
      List<String> lines = Files.readAllLines(log.toPath());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
