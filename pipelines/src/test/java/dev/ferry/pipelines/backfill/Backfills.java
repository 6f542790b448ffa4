package dev.ferry.pipelines.backfill;

import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs the backfill job in-process on the DirectRunner, with its checks on, as a user would. */
public final class Backfills {
  private Backfills() {}

  static RunSummary run(Map<String, String> env, String... args) {
    PipelineOptionsFactory.register(BackfillOptions.class);
    BackfillOptions options = PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(BackfillOptions.class);
    return BackfillPipeline.run(options, new Secrets(env));
  }

  /** Flags for a copy of {@code table} from one test database to another. */
  static List<String> flags(String job, TestDatabase source, TestDatabase target, String table) {
    return new ArrayList<>(Arrays.asList("--job=" + job, "--sourceUrl=" + source.jdbcUrl(),
        "--sourceUser=" + source.user(), "--sourceTable=" + table,
        "--targetUrl=" + target.jdbcUrl(), "--targetUser=" + target.user(),
        "--partitions=4", "--batchSize=500", "--progressIntervalSeconds=60"));
  }

  static RunSummary run(List<String> flags, String... more) {
    return run(Map.of(), with(flags, more).toArray(new String[0]));
  }

  /** The flags with {@code more} added, replacing flags of the same name. */
  public static List<String> with(List<String> flags, String... more) {
    List<String> all = new ArrayList<>(flags);
    for (String flag : more) {
      String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=') + 1) : flag;
      all.removeIf(f -> f.startsWith(name));
      all.add(flag);
    }
    return all;
  }
}
