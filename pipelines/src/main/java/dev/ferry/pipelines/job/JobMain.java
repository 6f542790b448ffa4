package dev.ferry.pipelines.job;

import dev.ferry.pipelines.spec.Secrets;
import java.util.function.Function;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The entry point every ferry command shares, in the shape of Beam's {@code WordCount}:
 * {@code main} only parses the flags and calls the job's {@code run(options, secrets)}, which
 * tests call directly. A job is then its options interface, its {@code run} and the outcome
 * it reports (which prints itself and carries the exit code of {@link ExitCodes}):
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   System.exit(run(args).exitCode);
 * }
 *
 * public static RunSummary run(String[] args) {
 *   return JobMain.run(args, FillOptions.class, FillPipeline::run,
 *       message -> BackfillPipeline.invalid("flags", message));
 * }
 * }</pre>
 */
public final class JobMain {
  private JobMain() {}

  /** A job's body: its options and the process's secrets in, its outcome out; never throws. */
  @FunctionalInterface
  public interface Job<O extends PipelineOptions, R> {
    R run(O options, Secrets secrets);
  }

  /**
   * Parses {@code args} as {@code type} (Beam's validation included) and runs {@code job} with
   * the secrets of this process; flags Beam refuses become {@code invalidFlags}' outcome
   * (exit {@link ExitCodes#INVALID}: nothing ran) instead of an exception.
   */
  public static <O extends PipelineOptions, R> R run(String[] args, Class<O> type,
      Job<O, R> job, Function<String, R> invalidFlags) {
    O options;
    try {
      options = options(args, type);
    } catch (IllegalArgumentException e) {
      return invalidFlags.apply(e.getMessage());
    }
    return job.run(options, Secrets.fromSystem());
  }

  /** {@code args} parsed and validated as {@code type}; throws for a flag Beam refuses. */
  public static <O extends PipelineOptions> O options(String[] args, Class<O> type) {
    PipelineOptionsFactory.register(type);
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
  }
}
