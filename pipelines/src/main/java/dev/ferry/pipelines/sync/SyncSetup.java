package dev.ferry.pipelines.sync;

import dev.ferry.jdbc.Dialect;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.job.JobTarget;
import dev.ferry.pipelines.spec.SpecException;
import java.sql.SQLException;

/**
 * A sync's job as the backfill sees it (the same spec: source table and key, mapping, target
 * table and key, state schema) and the change stream of its source.
 */
final class SyncSetup {
  final BackfillConfig config;
  final JobPlan prepared;
  final SourceStream stream;

  private SyncSetup(BackfillConfig config, JobPlan prepared,
      SourceStream stream) {
    this.config = config;
    this.prepared = prepared;
    this.stream = stream;
  }

  static SyncSetup of(BackfillConfig config, long serverId) throws SQLException {
    if (config.source == null || config.target == null) {
      throw new SpecException(config.origin, "source.url", "ferry sync moves a JDBC table into"
          + " a JDBC table; MongoDB is not supported");
    }
    if (config.sourceTable == null) {
      throw new SpecException(config.origin, "source.table", "ferry sync follows a table's"
          + " changes; a source query has none");
    }
    JobPlan prepared = BackfillPipeline.prepareSource(config);
    prepared = prepared.withTarget(new JobTarget.Table(
        BackfillPipeline.describeTarget(config, prepared)));
    SourceStream stream = config.source.dialect() == Dialect.MYSQL
        ? new BinlogStream(config, serverId) : new WalStream(config);
    return new SyncSetup(config, prepared, stream);
  }
}
