package dev.ferry.pipelines.backfill;

import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs the backfill job in-process on the DirectRunner, with its checks on, as a user would. */
final class Backfills {
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
    List<String> all = new ArrayList<>(flags);
    all.addAll(Arrays.asList(more));
    return run(Map.of(), all.toArray(new String[0]));
  }
}
