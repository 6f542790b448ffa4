package dev.ferry.pipelines.backfill;

import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several backfill jobs (tables) copied by one pipeline, each job's steps a composite of its own
 * ({@code Table.<target>.Ranges}, {@code Table.<target>.Copy}) with its own checkpoints, run log
 * and summary, exactly as when run alone. A pipeline's start (building it, starting the runner's
 * threads, connecting each step) costs more than copying a small table: a database of hundreds
 * of small tables pays it once per batch instead of once per table.
 *
 * <pre>{@code
 * List<RunSummary> summaries = BackfillBatch.run(List.of(ordersOptions, linesOptions), secrets);
 * }</pre>
 *
 * <p>The pipeline runs with the first job's options (runner flags are meant to be the same for
 * all). If the pipeline fails, every job of the batch fails with its error; each resumes from its
 * own checkpoints on the next run.
 */
public final class BackfillBatch {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillBatch.class);
  /** Jobs prepared (and finished) at the same time: each is a few round trips to the target. */
  private static final int PREPARE_THREADS = 4;

  private BackfillBatch() {}

  /** Runs every job; returns their summaries in the same order. Never throws for a failed job. */
  public static List<RunSummary> run(List<BackfillOptions> jobs, Secrets secrets) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    List<BackfillRun> runs = new ArrayList<>();
    List<RunSummary> summaries = new ArrayList<>();
    for (BackfillOptions options : jobs) {
      try {
        runs.add(new BackfillRun(options,
            BackfillPipeline.COPY.configure(options, secrets), BackfillPipeline.COPY));
        summaries.add(null);
      } catch (SpecException e) {
        runs.add(null);
        summaries.add(BackfillPipeline.invalid(options.getJob(), e.getMessage()));
      }
    }
    // The first job creates the state tables if needed; the others then need not try.
    int first = 0;
    while (runs.get(first) == null && first < runs.size() - 1) {
      first++;
    }
    boolean firstBegun = runs.get(first) != null && runs.get(first).begin();
    List<BackfillRun> others = new ArrayList<>(runs);
    others.set(first, null);
    others.forEach(r -> {
      if (r != null) {
        r.stateTablesExist();
      }
    });
    List<Boolean> begun = each(others, BackfillRun::begin);
    begun.set(first, firstBegun);
    List<BackfillRun> copying = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      if (runs.get(i) != null && begun.get(i) && runs.get(i).needsPipeline()) {
        copying.add(runs.get(i));
      }
    }
    if (!copying.isEmpty()) {
      runPipeline(jobs.get(0), copying);
    }
    List<RunSummary> ended = each(runs, BackfillRun::end);
    for (int i = 0; i < runs.size(); i++) {
      if (runs.get(i) != null) {
        summaries.set(i, ended.get(i));
      }
    }
    return summaries;
  }

  private static void runPipeline(BackfillOptions options, List<BackfillRun> copying) {
    try {
      Pipeline pipeline = Pipeline.create(options);
      for (BackfillRun run : copying) {
        run.apply(pipeline);
      }
      LOG.info("copying {} tables in one pipeline: {}", copying.size(),
          copying.stream().map(BackfillRun::job).toList());
      PipelineResult result = pipeline.run();
      result.waitUntilFinish();
      for (BackfillRun run : copying) {
        run.collect(result);
      }
    } catch (RuntimeException e) {
      for (BackfillRun run : copying) {
        run.fail(e);
      }
    }
  }

  private interface Step<T> {
    T apply(BackfillRun run);
  }

  /** {@code step} of every run (null for a null run), a few at a time, in order. */
  private static <T> List<T> each(List<BackfillRun> runs, Step<T> step) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PREPARE_THREADS, runs.size()));
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (BackfillRun run : runs) {
        futures.add(pool.submit(() -> run == null ? null : step.apply(run)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing backfill jobs", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdown();
    }
  }
}
