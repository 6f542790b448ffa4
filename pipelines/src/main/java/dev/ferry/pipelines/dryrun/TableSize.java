package dev.ferry.pipelines.dryrun;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.profile.TableCatalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;

/** Rows and bytes of the table a dry run writes, measured before and after the sample. */
final class TableSize {
  final long rows;
  final long bytes;

  private TableSize(long rows, long bytes) {
    this.rows = rows;
    this.bytes = bytes;
  }

  /**
   * Counts the rows and reads the size from the catalog. On MySQL the table's statistics are
   * refreshed first (ANALYZE TABLE on the target, never on the source): InnoDB otherwise reports
   * the size as of its last automatic update.
   */
  static TableSize of(JdbcEndpoint target, List<String> table) throws SQLException {
    Dialect d = target.dialect();
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET);
        Statement s = c.createStatement()) {
      if (d == Dialect.MYSQL) {
        s.execute("ANALYZE TABLE " + d.quoteQualified(table));
      }
      long rows;
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + d.quoteQualified(table))) {
        rs.next();
        rows = rs.getLong(1);
      }
      OptionalLong bytes = TableCatalog.tableBytes(c, d, table);
      return new TableSize(rows, bytes.orElse(0));
    }
  }

  /**
   * Bytes per row that the sample added; when it added none (the rows were already there) the
   * table's average, or null for an empty table.
   */
  static Double bytesPerRow(TableSize before, TableSize after) {
    long added = after.rows - before.rows;
    if (added > 0) {
      return Math.max(0, after.bytes - before.bytes) / (double) added;
    }
    return after.rows > 0 ? after.bytes / (double) after.rows : null;
  }
}
