package dev.ferry.pipelines.mongo;

import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.spec.Secrets;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs jobs in-process on the DirectRunner, with its checks on, as a user would. */
final class MongoJobs {
  private MongoJobs() {}

  static RunSummary backfill(Map<String, String> env, List<String> args) {
    PipelineOptionsFactory.register(BackfillOptions.class);
    BackfillOptions options = PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
        .withValidation().as(BackfillOptions.class);
    return BackfillPipeline.run(options, new Secrets(env));
  }
}
