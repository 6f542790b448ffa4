package dev.ferry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ferry.jdbc.JdbcEndpoint.Role;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL sessions are reused, and each comes back as a new one would be: whatever the last
 * user changed, left open or left behind is gone, and a session the server dropped is replaced.
 */
class SessionPoolTest {
  private static final String PID = "SELECT pg_backend_pid()";

  private static JdbcEndpoint endpoint(TestDatabase db) {
    return new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
  }

  private static String text(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void aReturnedSessionIsReusedAndResetToFerrysSettings() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE t (id int PRIMARY KEY)");
    JdbcEndpoint target = endpoint(db);
    String pid;
    try (Connection c = target.connect(Role.TARGET); Statement s = c.createStatement()) {
      pid = text(c, PID);
      s.execute("SET TIME ZONE 'Europe/Berlin'");
      s.execute("SET synchronous_commit TO on");
      s.execute("SET search_path TO pg_catalog");
      s.execute("CREATE TEMPORARY TABLE scratch (x int)");
      s.executeQuery("SELECT pg_advisory_lock(42)").close();
      c.setReadOnly(true);
      c.setReadOnly(false);
      c.setAutoCommit(false);
      s.execute("INSERT INTO public.t VALUES (1)");
      // closed with the transaction open and never committed
    }
    try (Connection c = target.connect(Role.TARGET)) {
      assertEquals(pid, text(c, PID), "the same server session");
      assertEquals("UTC", text(c, "SHOW TIME ZONE"));
      assertEquals("off", text(c, "SHOW synchronous_commit"), "a target's setting, again");
      assertEquals("\"$user\", public", text(c, "SHOW search_path"));
      assertEquals("0", text(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'scratch'"));
      assertEquals("0", text(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"));
      assertEquals("0", text(c, "SELECT count(*) FROM t"), "the open transaction rolled back");
      assertEquals(true, c.getAutoCommit());
      assertFalse(c.isReadOnly());
    }
    try (Connection c = target.connect(Role.SOURCE)) {
      assertNotEquals(pid, text(c, PID), "a source session is apart");
    }
  }

  /** The server's id of the session {@code sql} names, in a session borrowed and returned. */
  private static String sessionId(JdbcEndpoint endpoint, String sql) throws SQLException {
    try (Connection c = endpoint.connect(Role.SOURCE)) {
      return text(c, sql);
    }
  }

  @Test
  void aSessionTheServerDroppedIsReplaced() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    JdbcEndpoint source = endpoint(db);
    String pid = sessionId(source, PID);
    db.execute("SELECT pg_terminate_backend(" + pid + ")");
    assertNotEquals(pid, sessionId(source, PID));
    assertEquals("UTC", sessionId(source, "SHOW TIME ZONE"));
  }

  @Test
  void aDiscardedSessionIsNeverHandedOutAgain() throws Exception {
    JdbcEndpoint source = endpoint(EmbeddedDatabases.newPostgres());
    Connection c = source.connect(Role.SOURCE);
    String pid = text(c, PID);
    JdbcEndpoint.discard(c);
    assertNotEquals(pid, sessionId(source, PID));
  }

  @Test
  void mariaDbSessionsAreOpenedAnew() throws Exception {
    JdbcEndpoint source = endpoint(EmbeddedDatabases.newMariaDb());
    String id = "SELECT CONNECTION_ID()";
    assertNotEquals(sessionId(source, id), sessionId(source, id));
  }
}
