package dev.ferry.pipelines.sync;

import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import java.sql.SQLException;
import java.util.List;

/**
 * One table a sync keeps in step: its backfill job as the backfill sees it (source relation and
 * key, mapping, target table and key, dead letters under its job name) and the source table whose
 * changes the stream carries.
 */
final class SyncedTable {
  final BackfillConfig config;
  final BackfillPipeline.Prepared prepared;
  /** The source table's name parts, {@code [db, table]} or {@code [table]}. */
  final List<String> sourceTable;

  private SyncedTable(BackfillConfig config, BackfillPipeline.Prepared prepared,
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
    BackfillPipeline.Prepared prepared = BackfillPipeline.prepareSource(config);
    prepared.target = BackfillPipeline.describeTarget(config, prepared);
    return new SyncedTable(config, prepared, sourceTable);
  }

  List<String> keyColumns() {
    return prepared.sourceKeyColumns();
  }

  List<String> syncedColumns() {
    return prepared.sourceLayout.names();
  }
}
