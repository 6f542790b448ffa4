package dev.ferry.pipelines.sync;

import dev.ferry.jdbc.JdbcEndpoint;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A MariaDB source's binary log, read by Debezium's MariaDB connector as a replica (MySQL
 * proper is refused by {@link #problems}: not supported by that connector, not tested).
 * The position is the binlog file and offset ({@code SHOW MASTER STATUS}); on every start the
 * connector reads the captured table's current definition ({@code snapshot.mode=recovery}) and
 * streams from the stored position, so no schema history has to be kept anywhere.
 */
final class BinlogStream implements SourceStream {
  /** ER_OPTION_PREVENTS_STATEMENT: a server started with --skip-grant-tables. */
  private static final int SKIP_GRANT_TABLES = 1290;
  private final JdbcEndpoint source;
  private final String job;
  private final long serverId;
  private final String database;
  private final List<String> tables = new ArrayList<>();

  /** The binlog of {@code source} for {@code tables}, all in one database. */
  BinlogStream(JdbcEndpoint source, String job, List<List<String>> tables, long serverId) {
    this.source = source;
    this.job = job;
    this.serverId = serverId != 0 ? serverId
        : 100_000 + Math.floorMod(job.hashCode(), 1_000_000_000);
    List<String> first = tables.get(0);
    this.database = first.size() > 1 ? first.get(first.size() - 2) : urlDatabase(source);
    for (List<String> name : tables) {
      this.tables.add(name.get(name.size() - 1));
      if (name.size() > 1 && !name.get(name.size() - 2).equals(database)) {
        throw new IllegalArgumentException("ferry sync follows one database's binlog; table "
            + String.join(".", name) + " is not in " + database);
      }
    }
  }

  @Override
  public List<String> problems() throws SQLException {
    List<String> problems = new ArrayList<>();
    try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT VERSION()")) {
        rs.next();
        String notMariaDb = notMariaDb(rs.getString(1));
        if (notMariaDb != null) {
          return List.of(notMariaDb);
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT @@log_bin, @@binlog_format,"
          + " @@binlog_row_image")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          problems.add("the binary log is off (log_bin=OFF): start the server with"
              + " --log-bin (my.cnf: log_bin=mysql-bin) and a server_id, then restart it");
        }
        if (!"ROW".equalsIgnoreCase(rs.getString(2))) {
          problems.add("binlog_format is " + rs.getString(2) + ": set binlog_format=ROW in"
              + " my.cnf (and SET GLOBAL binlog_format='ROW' for the running server)");
        }
        if (!"FULL".equalsIgnoreCase(rs.getString(3))) {
          problems.add("binlog_row_image is " + rs.getString(3) + ": set"
              + " binlog_row_image=FULL in my.cnf (and SET GLOBAL binlog_row_image='FULL')");
        }
      }
      StringBuilder grants = new StringBuilder();
      try (ResultSet rs = s.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
        while (rs.next()) {
          grants.append(rs.getString(1).toUpperCase(Locale.ROOT)).append('\n');
        }
      } catch (SQLException e) {
        if (e.getErrorCode() != SKIP_GRANT_TABLES) {
          throw e;
        }
        return problems; // --skip-grant-tables: every user may do everything
      }
      String g = grants.toString();
      boolean all = g.contains("GRANT ALL PRIVILEGES ON *.*");
      boolean slave = all || g.contains("REPLICATION SLAVE") || g.contains("REPLICATION REPLICA");
      boolean client = all || g.contains("REPLICATION CLIENT") || g.contains("BINLOG MONITOR")
          || g.contains("SUPER");
      if (!slave || !client) {
        problems.add("user " + source.user() + " lacks replication privileges: GRANT"
            + " REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + source.user()
            + "'@'%' (MariaDB 10.5+: REPLICATION SLAVE, BINLOG MONITOR)");
      }
    }
    return problems;
  }

  /**
   * Why a server of {@code version} is refused, or null for MariaDB. The binlog is read with
   * Debezium's MariaDB connector, which Debezium does not support against MySQL, and MySQL 8.4
   * has no {@code SHOW MASTER STATUS}; no MySQL server is available to test a MySQL stream.
   */
  static String notMariaDb(String version) {
    if (version != null && version.toLowerCase(Locale.ROOT).contains("mariadb")) {
      return null;
    }
    return "the source is MySQL " + version + ", not MariaDB: ferry's change capture is built"
        + " and tested on MariaDB only (Debezium's MariaDB connector); see sync.md, \"MySQL"
        + " proper\"";
  }

  @Override
  public Map<String, Map<String, Object>> currentPosition() throws SQLException {
    String[] head = (String[]) head();
    Map<String, Object> offset = new java.util.HashMap<>();
    offset.put("file", head[0]);
    offset.put("pos", Long.parseLong(head[1]));
    // MariaDB's binlog client resumes by GTID; the file and position alone do not start it.
    try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
      if (rs.next() && rs.getString(1) != null && !rs.getString(1).isEmpty()) {
        offset.put("gtids", rs.getString(1));
      }
    } catch (SQLException e) {
      // MySQL has no gtid_binlog_pos: the file and position are the whole position there
    }
    return Map.of("partition", Map.of("server", topicPrefix()), "offset", offset);
  }

  @Override
  public Object head() throws SQLException {
    try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      if (!rs.next()) {
        throw new SQLException("SHOW MASTER STATUS returned nothing at " + source
            + ": the binary log is off");
      }
      return new String[] {rs.getString(1), rs.getString(2)};
    }
  }

  @Override
  public boolean reached(Map<String, Object> offset, Object head) {
    String[] h = (String[]) head;
    String file = String.valueOf(offset.get("file"));
    long pos = ((Number) offset.get("pos")).longValue();
    int files = file.compareTo(h[0]);
    return files > 0 || files == 0 && pos >= Long.parseLong(h[1]);
  }

  @Override
  public Properties connectorProperties() {
    URI uri = URI.create(source.url().substring("jdbc:".length()));
    Properties p = new Properties();
    p.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
    p.setProperty("database.hostname", uri.getHost());
    p.setProperty("database.port", String.valueOf(uri.getPort() < 0 ? 3306 : uri.getPort()));
    p.setProperty("database.user", source.user() == null ? "" : source.user());
    p.setProperty("database.password",
        source.password() == null ? "" : source.password());
    p.setProperty("database.ssl.mode", "disable");
    p.setProperty("database.server.id", String.valueOf(serverId));
    p.setProperty("topic.prefix", topicPrefix());
    p.setProperty("database.include.list", database);
    List<String> include = new ArrayList<>();
    for (String table : tables) {
      include.add(database.replace(".", "\\.") + "\\." + table.replace(".", "\\."));
    }
    p.setProperty("table.include.list", String.join(",", include));
    p.setProperty("snapshot.mode", "recovery");
    p.setProperty("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
    p.setProperty("include.schema.changes", "true");
    // The server sends a heartbeat when idle, and each one moves the offset past transactions
    // of other tables: that is how a quiet table's position reaches the binlog's end.
    p.setProperty("connect.keep.alive.interval.ms", "1000");
    p.setProperty("heartbeat.interval.ms", "500");
    p.setProperty("decimal.handling.mode", "precise");
    p.setProperty("bigint.unsigned.handling.mode", "precise");
    return p;
  }

  @Override
  public String capturedName(List<String> table) {
    return database + "." + table.get(table.size() - 1);
  }

  private String topicPrefix() {
    return "ferry_" + job.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  private static String urlDatabase(JdbcEndpoint endpoint) {
    String path = URI.create(endpoint.url().substring("jdbc:".length())).getPath();
    return path == null || path.length() < 2 ? "" : path.substring(1);
  }
}
