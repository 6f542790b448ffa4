package dev.ferry.jdbc;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Properties;

/**
 * Where and as whom to connect. The password is held here only after it was resolved from an
 * environment variable or file; {@link #toString()} and every error message show the URL with
 * secrets removed and never the password.
 */
public final class JdbcEndpoint implements Serializable {
  private static final long serialVersionUID = 1L;
  /** How long opening a connection may take, unless configured: TCP, TLS, login, session setup. */
  public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 30;
  /** How long a connected session may wait for one answer, unless configured: no limit. */
  public static final int DEFAULT_SOCKET_TIMEOUT_SECONDS = 0;

  /** Whether a connection reads a source or writes a target; each gets its own settings. */
  public enum Role {
    SOURCE,
    TARGET
  }

  private final String url;
  private final String user;
  private final String password;
  private final int connectTimeoutSeconds;
  private final int socketTimeoutSeconds;

  public JdbcEndpoint(String url, String user, String password) {
    this(url, user, password, DEFAULT_CONNECT_TIMEOUT_SECONDS, DEFAULT_SOCKET_TIMEOUT_SECONDS);
  }

  private JdbcEndpoint(String url, String user, String password, int connectTimeoutSeconds,
      int socketTimeoutSeconds) {
    this.url = Objects.requireNonNull(url, "url");
    this.user = user;
    this.password = password;
    this.connectTimeoutSeconds = connectTimeoutSeconds;
    this.socketTimeoutSeconds = socketTimeoutSeconds;
    Dialect.fromUrl(url);
  }

  /**
   * This endpoint with other timeouts. {@code connectSeconds} (at least 1) bounds everything up
   * to a usable session: the TCP connect, the server's greeting, TLS, login and ferry's session
   * settings; a server that accepts and never answers fails there, with a transient error that
   * the readers and writers retry. {@code socketSeconds} then bounds each wait for the server's
   * answer on the open session; 0 (the default) waits as long as the server works: one ferry
   * statement may legitimately send nothing for hours (an index or a foreign key built after a
   * large load, a planning query over a billion rows), and TCP keepalive still notices a peer
   * that is gone.
   */
  public JdbcEndpoint withTimeouts(int connectSeconds, int socketSeconds) {
    if (connectSeconds < 1) {
      throw new IllegalArgumentException("connect timeout must be at least 1 s, got "
          + connectSeconds);
    }
    if (socketSeconds < 0) {
      throw new IllegalArgumentException("socket timeout must not be negative (0: none), got "
          + socketSeconds);
    }
    return new JdbcEndpoint(url, user, password, connectSeconds, socketSeconds);
  }

  public int connectTimeoutSeconds() {
    return connectTimeoutSeconds;
  }

  public int socketTimeoutSeconds() {
    return socketTimeoutSeconds;
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  /** The resolved secret; only for handing to the driver or to redaction. */
  public String password() {
    return password;
  }

  public Dialect dialect() {
    return Dialect.fromUrl(url);
  }

  /**
   * Opens a connection with the settings ferry relies on: UTC sessions so instants survive the
   * trip, MySQL text converted to UTF-8 by the server, server-side streaming for sources, batched
   * multi-row inserts and strict SQL modes for targets (a MySQL target that is not strict
   * silently truncates values). Opening is bounded by the connect timeout, reads on the open
   * session by the socket timeout ({@link #withTimeouts}). PostgreSQL sessions come from a pool
   * and go back to it on close, reset to this state ({@link SessionPool}).
   */
  public Connection connect(Role role) throws SQLException {
    return dialect() == Dialect.POSTGRESQL ? SessionPool.borrow(this, role) : open(role);
  }

  /**
   * Closes a session for good, never to be handed out again: one whose reads failed half-way may
   * be in any state, so it is not returned to the pool as {@link Connection#close} would.
   */
  public static void discard(Connection connection) throws SQLException {
    try {
      connection.abort(Runnable::run);
    } finally {
      connection.close();
    }
  }

  /** A new session of this endpoint in {@code role}, with ferry's settings ({@link #connect}). */
  Connection open(Role role) throws SQLException {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    Dialect dialect = dialect();
    String setupMillis = String.valueOf(connectTimeoutSeconds * 1000);
    String setupSeconds = String.valueOf(connectTimeoutSeconds);
    if (dialect == Dialect.MYSQL) {
      // The driver's connectTimeout covers the TCP connect only; the greeting and login are
      // reads, bounded by socketTimeout, which the session's own timeout replaces below.
      props.setProperty("connectTimeout", setupMillis);
      props.setProperty("socketTimeout", setupMillis);
      props.setProperty("tcpKeepAlive", "true");
      props.setProperty("connectionTimeZone", "UTC");
      props.setProperty("forceConnectionTimeZoneToSession", "true");
      props.setProperty("yearIsDateType", "false");
      props.setProperty("characterEncoding", "UTF-8");
      // The server converts every text column to UTF-8 as its own CONVERT(v USING utf8mb4)
      // does. Left to the driver (character_set_results NULL), a latin1 column is decoded with
      // Java's Cp1252, which turns bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D into U+FFFD. Named as
      // Java names it: the driver maps UTF-8 to utf8mb4, while "utf8mb4" first fails a Java
      // charset lookup that instantiates every charset provider (a tenth of the JVM's CPU when
      // migrating 200 small tables, each read over several sessions).
      props.setProperty("characterSetResults", "UTF-8");
      if (role == Role.TARGET) {
        props.setProperty("rewriteBatchedStatements", "true");
      }
    } else {
      // loginTimeout bounds the whole login, however the server stalls it.
      props.setProperty("connectTimeout", setupSeconds);
      props.setProperty("loginTimeout", setupSeconds);
      props.setProperty("socketTimeout", setupSeconds);
      props.setProperty("tcpKeepAlive", "true");
      if (role == Role.TARGET) {
        props.setProperty("reWriteBatchedInserts", "true");
      }
    }
    Connection connection;
    try {
      connection = open(props);
    } catch (SQLException e) {
      throw new SQLException("cannot connect to " + this + ": "
          + Redaction.text(e.getMessage(), secrets()) + (timedOut(e) ? " (no answer within "
          + connectTimeoutSeconds + " s, the connect timeout)" : ""),
          e.getSQLState(), e.getErrorCode());
    }
    try {
      applySessionSettings(connection, role);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  /** ferry's settings of a session in {@code role}, on a new session or one reset for reuse. */
  void applySessionSettings(Connection connection, Role role) throws SQLException {
    try (Statement s = connection.createStatement()) {
      if (dialect() == Dialect.POSTGRESQL) {
        s.execute("SET TIME ZONE 'UTC'");
        if (role == Role.TARGET) {
          // A chunk's rows and its checkpoint commit together, so a server crash that loses the
          // last asynchronous commits loses both, and the resumed run re-reads those chunks.
          // Waiting for a WAL flush per chunk would only slow the load (2x here). The run's
          // final bookkeeping commit is synchronous and so makes everything before it durable.
          s.execute("SET synchronous_commit TO off");
        }
      } else if (role == Role.TARGET) {
        s.execute(
            "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@sql_mode, ''), "
                + "'STRICT_ALL_TABLES', 'NO_ZERO_DATE', 'NO_ZERO_IN_DATE', 'ERROR_FOR_DIVISION_BY_ZERO')");
      }
      connection.setNetworkTimeout(Runnable::run, socketTimeoutSeconds * 1000);
    }
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException
          || t.getMessage() != null && t.getMessage().contains("timed out")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Opens through the driver bundled with ferry rather than DriverManager's registry: on a Flink
   * session cluster every job has its own classloader, and DriverManager keeps the drivers the
   * first job registered, which later jobs may not use ("No suitable driver").
   */
  private Connection open(Properties props) throws SQLException {
    java.sql.Driver driver = url.startsWith("jdbc:postgresql:") ? new org.postgresql.Driver()
        : url.startsWith("jdbc:mysql:") ? new com.mysql.cj.jdbc.Driver() : null;
    Connection connection = driver == null ? null : driver.connect(url, props);
    return connection != null ? connection : DriverManager.getConnection(url, props);
  }

  java.util.List<String> secrets() {
    return password == null ? java.util.List.of() : java.util.List.of(password);
  }

  /** Message text of an exception with this endpoint's secrets removed. */
  public String redact(String message) {
    return Redaction.text(message, secrets());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof JdbcEndpoint)) {
      return false;
    }
    JdbcEndpoint e = (JdbcEndpoint) o;
    return url.equals(e.url) && Objects.equals(user, e.user) && Objects.equals(password, e.password)
        && connectTimeoutSeconds == e.connectTimeoutSeconds
        && socketTimeoutSeconds == e.socketTimeoutSeconds;
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, user);
  }

  @Override
  public String toString() {
    return Redaction.url(url) + (user == null ? "" : " as " + user);
  }
}
