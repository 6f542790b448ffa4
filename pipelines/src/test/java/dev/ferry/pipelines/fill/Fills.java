package dev.ferry.pipelines.fill;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs the fill job in-process on the DirectRunner, with its checks on, as a user would. */
final class Fills {
  private Fills() {}

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
