package dev.ferry.pipelines.reconcile;

import dev.ferry.digest.Digest;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.reconcile.ErrorRate;
import dev.ferry.reconcile.KeyClass;
import dev.ferry.reconcile.ReconcileFacts;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The verdict of a comparison: counts per class, rows and checksums of both sides, the fast
 * path's statistics, and whether the differences exceed the tolerance (the exit code).
 * Differing checksums that no row explains are never within the tolerance.
 */
final class Verdict {
  private Verdict() {}

  static void summarize(ReconcileReport report, ReconcileSettings settings,
      Map<String, Long> facts, Findings findings) {
    Map<KeyClass, Long> found = findings.counts();
    long equalBucketRows = facts.getOrDefault(ReconcileFacts.ROWS_IN_EQUAL_BUCKETS, 0L);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (KeyClass c : KeyClass.values()) {
      long n = c == KeyClass.MATCH
          ? facts.getOrDefault(ReconcileFacts.keys(c), 0L) + equalBucketRows
          : found.getOrDefault(c, 0L);
      counts.put(c.label(), n);
    }
    if (report.accepted != null) {
      counts.put("accepted", report.accepted);
    }
    report.counts = counts;
    long differences = findings.all().size();
    report.differences = differences;
    report.mismatchesByColumn = findings.mismatchesByColumn();
    long rejected = facts.getOrDefault(ReconcileFacts.SOURCE_ROWS_REJECTED, 0L);
    report.sourceRowsRejectedByMapping = rejected == 0 ? null : rejected;
    boolean exceeds;
    if (report.sample != null) {
      ErrorRate rate = ErrorRate.of(differences, report.sample.sampled);
      report.sample.errors = differences;
      report.sample.errorRate = rate.rate();
      report.sample.confidence = 0.95;
      report.sample.low = rate.low();
      report.sample.high = rate.high();
      report.differenceRate = rate.rate();
      exceeds = rate.exceeds(settings.tolerance);
    } else {
      report.rows = new ReconcileReport.Rows();
      Digest source = digest(facts, ReconcileFacts.SOURCE_DIGEST);
      Digest target = digest(facts, ReconcileFacts.TARGET_DIGEST);
      report.rows.source = source.count();
      report.rows.target = target.count();
      report.rows.sourceChecksum = source.checksum();
      report.rows.targetChecksum = target.checksum();
      report.differenceRate = (double) differences / Math.max(1, source.count());
      exceeds = report.differenceRate > settings.tolerance;
      if (report.fastPath != null && report.fastPath.reason == null) {
        report.fastPath.bucketsCompared = facts.getOrDefault(ReconcileFacts.BUCKETS, 0L);
        report.fastPath.bucketsDiffering = facts.getOrDefault(
            ReconcileFacts.BUCKETS_DIFFERING, 0L);
        report.fastPath.rowsInEqualBuckets = equalBucketRows;
        report.fastPath.sourceRowsJoined = facts.getOrDefault(
            ReconcileFacts.SOURCE_ROWS_JOINED, 0L);
        report.fastPath.targetRowsJoined = facts.getOrDefault(
            ReconcileFacts.TARGET_ROWS_JOINED, 0L);
      }
    }
    if (report.serverCheck != null && report.serverCheck.unexplainedRanges != null
        && report.serverCheck.unexplainedRanges > 0) {
      // Checksums that differ are never called equal.
      exceeds = true;
    }
    report.status = exceeds ? "differences" : "ok";
    report.exitCode = exceeds ? ExitCodes.DIFFERENCES : ExitCodes.OK;
  }

  private static Digest digest(Map<String, Long> facts, String prefix) {
    return new Digest(facts.getOrDefault(prefix + ".count", 0L),
        facts.getOrDefault(prefix + ".lane1", 0L), facts.getOrDefault(prefix + ".lane2", 0L));
  }
}
