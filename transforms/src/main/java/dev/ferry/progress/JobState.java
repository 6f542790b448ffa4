package dev.ferry.progress;

import java.util.List;

/**
 * Where a job keeps its plan, checkpoints, runs and dead letters: state tables in a JDBC target
 * ({@link ProgressStore}) or collections in a MongoDB target ({@code dev.ferry.mongo}). The job
 * itself only talks to this interface, so both kinds of target resume the same way.
 */
public interface JobState {
  void ensureTables() throws Exception;

  void forget(String job, String fingerprint) throws Exception;

  /** The plan of a job that records no watermark. */
  default ProgressStore.Work planOrResume(String job, String fingerprint,
      ProgressStore.Planner planner) throws Exception {
    return planOrResume(job, fingerprint, planner, () -> null);
  }

  /**
   * The saved plan of (job, fingerprint) with the watermark saved with it; or, when there is
   * none, a watermark from {@code watermark} (taken first: before the plan and any read) and a
   * plan from {@code planner}, saved together. A resumed run thus records the first attempt's
   * watermark, never its own start, which would skip rows changed while the first attempt read.
   */
  ProgressStore.Work planOrResume(String job, String fingerprint, ProgressStore.Planner planner,
      ProgressStore.Watermark watermark) throws Exception;

  ProgressStore.Totals totals(String job, String fingerprint) throws Exception;

  void startRun(String job, String runId, String fingerprint, String kind, String sinceValue)
      throws Exception;

  void finishRun(String job, String runId, String status, String watermark, long rowsRead,
      long rowsWritten, long rowsDead) throws Exception;

  String lastWatermark(String job) throws Exception;

  /**
   * Shows that run {@code runId} is alive until the returned lease is closed; a MongoDB target
   * keeps no such sign, so its killed runs stay {@code running} in the run log.
   */
  default AutoCloseable holdRun(String runId) throws Exception {
    return () -> { };
  }

  /**
   * Marks as {@code interrupted} the runs of {@code job} other than {@code runId} that the log
   * still calls {@code running} although nothing holds their lease (their process is gone);
   * returns how many.
   */
  default int markInterrupted(String job, String runId) throws Exception {
    return 0;
  }

  /**
   * Dead letters of (job, fingerprint) that nobody accepted: what a run's exit code weighs
   * against maxDeadLetters. A MongoDB target has no acceptance: all of them.
   */
  default long openDeadLetters(String job, String fingerprint) throws Exception {
    return deadLetters(job, fingerprint).size();
  }

  /** Dead letters of (job, fingerprint) that a person accepted ({@link DeadLetterStore}). */
  default long acceptedDeadLetters(String job, String fingerprint) throws Exception {
    return 0;
  }

  /** Dead letters as rows of key, stage, column, error, source row (JSON) and run id. */
  List<String[]> deadLetters(String job, String fingerprint) throws Exception;
}
