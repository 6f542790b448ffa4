package dev.ferry.pipelines.backfill;

import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.record.Sha256;

/**
 * What a job's saved plan and checkpoints belong to: its source, target, key, mapping and catch-up
 * bound. A run whose fingerprint differs from the saved one plans afresh instead of resuming.
 */
final class JobFingerprint {
  private JobFingerprint() {}

  static String of(BackfillConfig config, JobPlan p, String since) {
    String canonical = String.join("\n", config.job, config.sourceName(),
        p.source().describe(),
        String.valueOf(config.sourceQuery), config.targetName(), p.targetName(),
        p.targetKey().toString(), config.mapping.fingerprint(),
        String.valueOf(config.sinceColumn), String.valueOf(since),
        String.valueOf(config.zeroDatesAsNull));
    if (p.kind() != null) {
      // A collection's filter is part of its name above; a relation's query is not.
      canonical += "\n" + p.kind() + (p.readsCollection() ? ""
          : "\n" + p.relation().fromClause(config.source.dialect()));
    }
    return Sha256.hex(canonical).substring(0, 32);
  }
}
