package dev.ferry.pipelines.dryrun;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.write.TargetTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * An empty copy of the target table in a scratch schema, for a dry run that must not touch the
 * real table: same columns, defaults, constraints and indexes (PostgreSQL {@code LIKE … INCLUDING
 * ALL}, MySQL {@code CREATE TABLE … LIKE}); foreign keys are not copied by either, so the sample
 * does not need its parents. A copy left by an earlier dry run is replaced.
 */
final class ScratchTable {
  private ScratchTable() {}

  /** Creates the copy and returns its name, {@code [schema, table]}. */
  static List<String> create(JdbcEndpoint target, TargetTable real, String schema)
      throws SQLException {
    Dialect d = target.dialect();
    List<String> name = List.of(schema, real.name().get(real.name().size() - 1));
    String copy = d.quoteQualified(name);
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET);
        Statement s = c.createStatement()) {
      if (d == Dialect.POSTGRESQL) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + d.quote(schema));
        s.execute("DROP TABLE IF EXISTS " + copy);
        s.execute("CREATE TABLE " + copy + " (LIKE " + d.quoteQualified(real.name())
            + " INCLUDING ALL)");
      } else {
        s.execute("CREATE DATABASE IF NOT EXISTS " + d.quote(schema));
        s.execute("DROP TABLE IF EXISTS " + copy);
        s.execute("CREATE TABLE " + copy + " LIKE " + d.quoteQualified(real.name()));
      }
    } catch (SQLException e) {
      throw new SQLException("cannot create the scratch copy " + String.join(".", name)
          + " of " + real.displayName() + " at " + target + ": " + target.redact(e.getMessage()),
          e.getSQLState(), e.getErrorCode());
    }
    return name;
  }
}
