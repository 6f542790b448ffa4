package dev.ferry.pipelines.reconcile;

import dev.ferry.jdbc.Dialect;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.KeyRangePlanner;
import dev.ferry.plan.SourceRelation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Key ranges for the fast path over a dense single integer key, planned from the key's span and
 * the server's own row estimate, without counting keys. The fast path's ranges only share out
 * its checksum queries and the join of differing buckets, and {@link KeyRangePlanner} counts every
 * key in a grouped query first (2.5 s of a 10,000,000-row table, before any checksum starts).
 *
 * <p>When the estimate says at least 60% of the span's values are keys, each of the
 * equal-width ranges holds at most its width in keys, less than twice the mean, so the ranges are
 * balanced without counting. Otherwise (sparse or skewed keys, no estimate yet, a query as the
 * source) there is no plan here and the planner counts. The estimate only decides balance: the
 * first range is open below and the last above, so every key is covered whatever it says.
 */
final class DenseKeyRanges {
  private static final double MIN_DENSITY = 0.6;

  private DenseKeyRanges() {}

  /**
   * Equal-width ranges over the key of {@code relation} (a single integer column), or null when
   * the key is not known to be dense. A nullable key gets the NULL-key range the planner adds.
   */
  static List<KeyRange> plan(Connection c, Dialect dialect, SourceRelation relation,
      int partitions, boolean nullable) throws SQLException {
    if (relation.isQuery() || relation.keyColumns().size() != 1) {
      return null;
    }
    long estimate = estimatedRows(c, dialect, relation);
    String key = dialect.quote(relation.keyColumns().get(0));
    long min;
    long max;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT min(" + key + "), max(" + key + ") FROM "
            + relation.fromClause(dialect))) {
      rs.next();
      if (rs.getObject(1) == null) {
        return null;
      }
      min = rs.getLong(1);
      max = rs.getLong(2);
    }
    double span = (double) max - (double) min + 1;
    if (estimate <= 0 || estimate < MIN_DENSITY * span || span > Long.MAX_VALUE / 2) {
      return null;
    }
    int parts = (int) Math.max(1, Math.min(partitions, span));
    long width = (long) Math.ceil(span / parts);
    List<KeyRange> ranges = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      Object[] lower = i == 0 ? null : new Object[] {min + i * width};
      Object[] upper = i == parts - 1 ? null : new Object[] {min + (i + 1) * width};
      ranges.add(KeyRange.between(i, lower, upper, Math.max(1, estimate / parts)));
    }
    if (nullable) {
      ranges.add(KeyRange.ofNullKeys(parts, 0));
    }
    return ranges;
  }

  /** The server's estimate of the table's rows (statistics, not a count); 0 when it has none. */
  static long estimatedRows(Connection c, Dialect dialect, SourceRelation relation)
      throws SQLException {
    List<String> name = relation.tableName();
    String sql = dialect == Dialect.POSTGRESQL
        ? "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)"
        : "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_NAME = ? AND"
            + " TABLE_SCHEMA = " + (name.size() > 1 ? "?" : "DATABASE()");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (dialect == Dialect.POSTGRESQL) {
        ps.setString(1, relation.fromClause(dialect));
      } else {
        ps.setString(1, name.get(name.size() - 1));
        if (name.size() > 1) {
          ps.setString(2, name.get(name.size() - 2));
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Math.max(0, rs.getLong(1)) : 0;
      }
    }
  }
}
