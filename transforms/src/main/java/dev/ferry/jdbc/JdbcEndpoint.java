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

  /** Whether a connection reads a source or writes a target; each gets its own settings. */
  public enum Role {
    SOURCE,
    TARGET
  }

  private final String url;
  private final String user;
  private final String password;

  public JdbcEndpoint(String url, String user, String password) {
    this.url = Objects.requireNonNull(url, "url");
    this.user = user;
    this.password = password;
    Dialect.fromUrl(url);
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
   * silently truncates values).
   */
  public Connection connect(Role role) throws SQLException {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    Dialect dialect = dialect();
    if (dialect == Dialect.MYSQL) {
      props.setProperty("connectionTimeZone", "UTC");
      props.setProperty("forceConnectionTimeZoneToSession", "true");
      props.setProperty("yearIsDateType", "false");
      props.setProperty("characterEncoding", "UTF-8");
      // The server converts every text column to UTF-8 as its own CONVERT(v USING utf8mb4)
      // does. Left to the driver (character_set_results NULL), a latin1 column is decoded with
      // Java's Cp1252, which turns bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D into U+FFFD.
      props.setProperty("characterSetResults", "utf8mb4");
      if (role == Role.TARGET) {
        props.setProperty("rewriteBatchedStatements", "true");
      }
    } else if (role == Role.TARGET) {
      props.setProperty("reWriteBatchedInserts", "true");
    }
    Connection connection;
    try {
      connection = open(props);
    } catch (SQLException e) {
      throw new SQLException(
          "cannot connect to " + this + ": " + Redaction.text(e.getMessage(), secrets()),
          e.getSQLState(),
          e.getErrorCode());
    }
    try (Statement s = connection.createStatement()) {
      if (dialect == Dialect.POSTGRESQL) {
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
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
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
    return url.equals(e.url) && Objects.equals(user, e.user) && Objects.equals(password, e.password);
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
