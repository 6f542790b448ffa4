package dev.ferry.pipelines.job;

import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What a job needs to know of the runner it is given, decided here at the edge so that the
 * transforms stay runner-agnostic: they are configured with the trait, never with a runner.
 */
public final class RunnerTraits {
  private RunnerTraits() {}

  /**
   * Whether the runner keeps each step's whole output in memory before the next step runs, in
   * this JVM (the DirectRunner does; Flink and Dataflow stream between fused steps): readers
   * then wait for the writers, and a lookup is better a side input than a join.
   */
  public static boolean queuesStepOutputsInMemory(PipelineOptions options) {
    Class<?> runner = options.getRunner();
    return runner != null && runner.getName().equals("org.apache.beam.runners.direct.DirectRunner");
  }
}
