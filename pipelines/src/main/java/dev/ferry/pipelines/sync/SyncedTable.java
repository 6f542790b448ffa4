package dev.ferry.pipelines.sync;

import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.job.JobTarget;
import java.sql.SQLException;
import java.util.List;

/**
 * One table a sync keeps in step: its backfill job as the backfill sees it (source relation and
 * key, mapping, target table and key, dead letters under its job name) and the source table whose
 * changes the stream carries.
 */
final class SyncedTable {
  final BackfillConfig config;
  final JobPlan prepared;
  /** The source table's name parts, {@code [db, table]} or {@code [table]}. */
  final List<String> sourceTable;

  private SyncedTable(BackfillConfig config, JobPlan prepared,
      List<String> sourceTable) {
    this.config = config;
    this.prepared = prepared;
    this.sourceTable = List.copyOf(sourceTable);
  }

  /**
   * Describes the job's source and target. {@code sourceTable} is the table the job reads, also
   * when it reads it through a query (a migration's conversions in SQL).
   */
  static SyncedTable of(BackfillConfig config, List<String> sourceTable) throws SQLException {
    JobPlan prepared = BackfillPipeline.prepareSource(config);
    prepared = prepared.withTarget(new JobTarget.Table(
        BackfillPipeline.describeTarget(config, prepared)));
    return new SyncedTable(config, prepared, sourceTable);
  }

  List<String> keyColumns() {
    return prepared.sourceKeyColumns();
  }

  List<String> syncedColumns() {
    return prepared.sourceLayout().names();
  }
}
