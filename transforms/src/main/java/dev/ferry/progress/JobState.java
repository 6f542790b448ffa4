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

  ProgressStore.Work planOrResume(String job, String fingerprint, ProgressStore.Planner planner)
      throws Exception;

  ProgressStore.Totals totals(String job, String fingerprint) throws Exception;

  void startRun(String job, String runId, String fingerprint, String kind, String sinceValue)
      throws Exception;

  void finishRun(String job, String runId, String status, String watermark, long rowsRead,
      long rowsWritten, long rowsDead) throws Exception;

  String lastWatermark(String job) throws Exception;

  /** Dead letters as rows of key, stage, column, error, source row (JSON) and run id. */
  List<String[]> deadLetters(String job, String fingerprint) throws Exception;
}
