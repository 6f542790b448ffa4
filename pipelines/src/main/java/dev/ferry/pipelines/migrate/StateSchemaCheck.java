package dev.ferry.pipelines.migrate;

import dev.ferry.jdbc.Dialect;
import dev.ferry.pipelines.spec.SpecException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Refuses a migration whose tables would land in ferry's own state schema. Without {@code
 * --targetSchema} the tables are created in the search_path's first schema, and PostgreSQL's
 * default path begins with {@code "$user"}: for a user named like the state schema ({@code
 * ferry}), that schema comes first as soon as ferry creates it, and the application's tables
 * would be mixed with ferry's state. A --stateSchema given by the user (public, to keep the state
 * beside the tables) is their choice and not refused.
 */
final class StateSchemaCheck {
  private StateSchemaCheck() {}

  /** @throws SpecException naming --targetSchema when the tables would go to the state schema */
  static void check(Connection c, MigrateSettings settings) throws SQLException {
    if (settings.targetSchema.isPresent() || settings.stateSchemaChosen) {
      return;
    }
    String state = settings.stateSchema.get(0);
    String creation;
    String other;
    String user;
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    // Where an unqualified CREATE TABLE goes once the state schema exists, asked in a
    // transaction that is rolled back.
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + Dialect.POSTGRESQL.quote(state));
      try (ResultSet rs = s.executeQuery("SELECT current_schema(), current_user, (SELECT n"
          + " FROM unnest(current_schemas(false)) n WHERE n <> current_schema() LIMIT 1)")) {
        rs.next();
        creation = rs.getString(1);
        user = rs.getString(2);
        other = rs.getString(3);
      }
    } finally {
      c.rollback();
      c.setAutoCommit(autoCommit);
    }
    if (state.equals(creation)) {
      throw new SpecException("flags", "targetSchema", "required for user " + user + ": the"
          + " search_path would create the tables in ferry's state schema " + state + "; pass"
          + " --targetSchema=" + (other == null ? "<schema>" : other) + ", or --stateSchema");
    }
  }
}
