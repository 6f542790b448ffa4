package dev.ferry.pipelines.reconcile;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.reconcile.ReconcileSide;
import dev.ferry.reconcile.SideConnections;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An empty target facing a source with rows: nothing has been copied yet, which one query on
 * each side tells in milliseconds, where a comparison would read the whole source only to report
 * every key missing.
 */
final class NothingCopied {
  private NothingCopied() {}

  /** The source's row count when the target has no row and the source has some, else null. */
  static Long sourceRows(ReconcileSetup setup) throws SQLException {
    if (has(setup.targetSide, setup.targetConnections)) {
      return null;
    }
    long rows = setup.sourceConnections.with(c -> {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM " + setup.sourceSide.relation()
              .fromClause(setup.sourceSide.dialect()))) {
        rs.next();
        return rs.getLong(1);
      }
    });
    return rows == 0 ? null : rows;
  }

  private static boolean has(ReconcileSide side, SideConnections connections)
      throws SQLException {
    return connections.with(c -> {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 1 FROM " + side.relation().fromClause(
              side.dialect()) + " LIMIT 1")) {
        return rs.next();
      }
    });
  }

  /** Fills {@code report} with the verdict on a target that holds nothing yet. */
  static void report(ReconcileReport report, long sourceRows, String target) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("match", 0L);
    counts.put("missing", sourceRows);
    report.counts = counts;
    report.differences = sourceRows;
    report.differenceRate = 1.0;
    report.notice = "the target " + target + " is empty: no backfill has copied anything into"
        + " it yet (run `ferry backfill` with the same spec first); every source row is missing,"
        + " and no row was compared";
    report.status = "differences";
    report.exitCode = ExitCodes.DIFFERENCES;
  }
}
