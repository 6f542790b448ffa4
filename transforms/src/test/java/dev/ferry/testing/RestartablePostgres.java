package dev.ferry.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL server of its own that a test can stop and start again: same port, same data
 * directory, so clients see exactly what a restart of their database server looks like (their
 * connections end, new ones are refused, then the server is back with its committed data).
 */
public final class RestartablePostgres implements AutoCloseable {
  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres server;

  public RestartablePostgres() {
    try {
      dataDirectory = Files.createTempDirectory("ferry-restartable-pg-");
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start();
  }

  /** A new, empty database on this server. */
  public TestDatabase newDatabase(String name) {
    try (Connection c = DriverManager.getConnection(server.getJdbcUrl("postgres", "postgres"));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create PostgreSQL database " + name, e);
    }
    return new TestDatabase(TestDatabase.Engine.POSTGRESQL, server.getJdbcUrl("postgres", name),
        "postgres", "", name);
  }

  /** Stops the server (pg_ctl stop, fast mode: sessions are terminated). */
  public void stop() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop PostgreSQL on port " + port, e);
    }
    server = null;
  }

  /** Starts the server again on the same port and data directory. */
  public void start() {
    try {
      server = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          .setPort(port)
          .setServerConfig("max_connections", "100")
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL on port " + port, e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      stop();
    }
  }
}
