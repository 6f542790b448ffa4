package dev.ferry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that accepts connections and never says a word (a hung database, a firewall that
 * swallows packets after the handshake) must not hang ferry: opening a connection fails within
 * the connect timeout, names the server, keeps the password out, and is transient, so readers
 * and writers retry it as they retry a restart.
 */
class ConnectTimeoutTest {
  private static final String PASSWORD = "pw-never-shown-7";
  private ServerSocket silent;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  @BeforeEach
  void listen() throws IOException {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!silent.isClosed()) {
        try {
          accepted.add(silent.accept());
        } catch (IOException closed) {
          return;
        }
      }
    }, "silent-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void close() throws IOException {
    silent.close();
    for (Socket s : accepted) {
      s.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jdbc:mysql://127.0.0.1:%d/db", "jdbc:postgresql://127.0.0.1:%d/db"})
  void silentServerFailsWithinTheConnectTimeout(String url) {
    JdbcEndpoint endpoint = new JdbcEndpoint(String.format(url, silent.getLocalPort()), "app",
        PASSWORD).withTimeouts(2, 0);
    SQLException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> assertThrows(SQLException.class, () -> endpoint.connect(JdbcEndpoint.Role.SOURCE)));
    assertTrue(e.getMessage().startsWith("cannot connect to jdbc:"), e.getMessage());
    assertTrue(e.getMessage().contains("127.0.0.1:" + silent.getLocalPort()), e.getMessage());
    assertTrue(e.getMessage().contains("no answer within 2 s"), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    assertTrue(SqlErrors.isTransient(e), "retried like a restart: " + e.getSQLState());
    assertFalse(accepted.isEmpty(), "the server accepted the connection and stayed silent");
  }

  @Test
  void defaultsBoundTheConnectionAndLeaveLongStatementsAlone() {
    JdbcEndpoint endpoint = new JdbcEndpoint("jdbc:postgresql://127.0.0.1:5432/db", null, null);
    assertEquals(30, endpoint.connectTimeoutSeconds());
    assertEquals(0, endpoint.socketTimeoutSeconds());
    assertThrows(IllegalArgumentException.class, () -> endpoint.withTimeouts(0, 0));
    assertThrows(IllegalArgumentException.class, () -> endpoint.withTimeouts(5, -1));
  }

  /** The socket timeout applies to the open session: a statement that outlasts it fails. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql", "mariadb"})
  void socketTimeoutBoundsEachAnswerOnTheOpenSession(String engine) throws Exception {
    TestDatabase db = engine.equals("mariadb") ? EmbeddedDatabases.newMariaDb()
        : EmbeddedDatabases.newPostgres();
    String sleep = engine.equals("mariadb") ? "SELECT SLEEP(60)" : "SELECT pg_sleep(60)";
    JdbcEndpoint endpoint = new JdbcEndpoint(db.jdbcUrl(), db.user(), null).withTimeouts(30, 1);
    SQLException e = assertTimeoutPreemptively(Duration.ofSeconds(50), () -> {
      try (Connection c = endpoint.connect(JdbcEndpoint.Role.SOURCE);
          Statement s = c.createStatement()) {
        return assertThrows(SQLException.class, () -> s.executeQuery(sleep));
      }
    });
    assertTrue(SqlErrors.isTransient(e), e.getSQLState() + " " + e.getMessage());
  }
}
