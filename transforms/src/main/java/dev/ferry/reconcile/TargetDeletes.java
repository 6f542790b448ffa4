package dev.ferry.reconcile;

import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.record.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes target rows by key, for a repair that was explicitly allowed to delete (extra keys and
 * the copies of duplicated keys). All keys go in one transaction: a repair either removes every
 * row it was asked to or none.
 */
public final class TargetDeletes {
  private TargetDeletes() {}

  /** Deletes every target row whose key is one of {@code canonicalKeys}; returns the count. */
  public static long delete(ReconcileSide target, RowCanonicalizer canonicalizer,
      List<String> canonicalKeys) throws SQLException {
    if (!target.role().equals("target")) {
      throw new IllegalArgumentException("only the target's rows are ever deleted");
    }
    if (canonicalKeys.isEmpty()) {
      return 0;
    }
    Dialect d = target.dialect();
    List<Column> keys = target.lookupKeyColumns();
    KeyPredicates predicates = new KeyPredicates(d, keys);
    List<String> terms = new ArrayList<>();
    for (Column c : keys) {
      terms.add(d.quote(c.name()) + " = ?");
    }
    String sql = "DELETE FROM " + target.relation().fromClause(d) + " WHERE "
        + String.join(" AND ", terms);
    long deleted = 0;
    try (Connection c = target.endpoint().connect(JdbcEndpoint.Role.TARGET)) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (String key : canonicalKeys) {
          List<Object> values = predicates.converted(canonicalizer.decodeKey(key));
          for (int i = 0; i < values.size(); i++) {
            KeyBinding.bind(ps, i + 1, values.get(i), d);
          }
          deleted += ps.executeUpdate();
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw new SQLException("deleting from " + target + " failed: "
          + target.endpoint().redact(e.getMessage()), e.getSQLState(), e.getErrorCode());
    }
    return deleted;
  }
}
