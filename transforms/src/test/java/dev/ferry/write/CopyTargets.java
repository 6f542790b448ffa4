package dev.ferry.write;

import dev.ferry.jdbc.Describe;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.record.Layout;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;

/** The {@link TargetTable} of a PostgreSQL test table keyed by {@code id}, as a writer sees it. */
final class CopyTargets {
  private CopyTargets() {}

  static TargetTable keyedById(TestDatabase db, String table) throws Exception {
    JdbcEndpoint endpoint = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
    Layout layout;
    try (Connection c = db.connect()) {
      layout = Describe.relation(c, Dialect.POSTGRESQL.quote(table));
    }
    return TargetTable.describe(endpoint, List.of(table), layout.names(), List.of("id"));
  }
}
