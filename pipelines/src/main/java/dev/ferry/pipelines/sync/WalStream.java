package dev.ferry.pipelines.sync;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.jdbc.Dialect;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A PostgreSQL source's write-ahead log, decoded by {@code pgoutput} through a replication slot
 * of ferry's own, {@code ferry_<job>}. The slot is created when the position is taken: from then
 * on the server keeps every change for it, however long the backfill takes.
 */
final class WalStream implements SourceStream {
  private final JdbcEndpoint source;
  private final String job;
  private final List<List<String>> tables;

  /** The log of {@code source} for {@code tables}, named [schema, table] or [table]. */
  WalStream(JdbcEndpoint source, String job, List<List<String>> tables) {
    this.source = source;
    this.job = job;
    this.tables = List.copyOf(tables);
  }

  String slot() {
    return ("ferry_" + job.replaceAll("[^A-Za-z0-9_]", "_")).toLowerCase(Locale.ROOT);
  }

  private static String schemaOf(List<String> table) {
    return table.size() > 1 ? table.get(table.size() - 2) : "public";
  }

  @Override
  public List<String> problems() throws SQLException {
    List<String> problems = new ArrayList<>();
    try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT current_setting('wal_level'),"
          + " current_setting('max_replication_slots')::int, r.rolreplication OR r.rolsuper"
          + " FROM pg_roles r WHERE r.rolname = current_user")) {
        rs.next();
        if (!"logical".equals(rs.getString(1))) {
          problems.add("wal_level is " + rs.getString(1) + ": set wal_level = logical in"
              + " postgresql.conf (ALTER SYSTEM SET wal_level = logical) and restart the server");
        }
        if (rs.getInt(2) < 1) {
          problems.add("max_replication_slots is 0: set it to at least 1 and restart");
        }
        if (!rs.getBoolean(3)) {
          problems.add("user " + source.user() + " cannot replicate: ALTER ROLE "
              + source.user() + " REPLICATION");
        }
      }
    }
    return problems;
  }

  @Override
  public Map<String, Map<String, Object>> currentPosition() throws SQLException {
    try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE);
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      // The publication must exist before the slot: pgoutput reads it as of each change.
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_publication WHERE pubname = '"
          + slot() + "'")) {
        if (!rs.next()) {
          List<String> quoted = new ArrayList<>();
          for (List<String> table : tables) {
            quoted.add(Dialect.POSTGRESQL.quoteQualified(List.of(schemaOf(table),
                table.get(table.size() - 1))));
          }
          s.execute("CREATE PUBLICATION " + slot() + " FOR TABLE " + String.join(", ", quoted));
        }
      }
      try (PreparedStatement d = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name)"
          + " FROM pg_replication_slots WHERE slot_name = ?")) {
        d.setString(1, slot());
        d.execute();
      }
      try (PreparedStatement p = c.prepareStatement("SELECT (lsn - '0/0')::bigint FROM"
          + " pg_create_logical_replication_slot(?, 'pgoutput')")) {
        p.setString(1, slot());
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          return Map.of("partition", Map.of("server", "ferry_" + slot()),
              "offset", Map.of("lsn", rs.getLong(1),
                  "ts_usec", System.currentTimeMillis() * 1000L));
        }
      }
    }
  }

  /** Writes a logical decoding message to the log and returns its position. */
  @Override
  public Object head() throws SQLException {
    try (Connection c = source.connect(JdbcEndpoint.Role.SOURCE);
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      try (ResultSet rs = s.executeQuery("SELECT (pg_logical_emit_message(true, 'ferry',"
          + " 'caught-up') - '0/0')::bigint")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public boolean reached(Map<String, Object> offset, Object head) {
    Object lsn = offset.get("lsn");
    return lsn instanceof Number && ((Number) lsn).longValue() >= (Long) head;
  }

  @Override
  public Properties connectorProperties() {
    URI uri = URI.create(source.url().substring("jdbc:".length()));
    Properties p = new Properties();
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.setProperty("plugin.name", "pgoutput");
    p.setProperty("slot.name", slot());
    p.setProperty("publication.name", slot());
    p.setProperty("publication.autocreate.mode", "disabled");
    p.setProperty("database.hostname", uri.getHost());
    p.setProperty("database.port", String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort()));
    p.setProperty("database.dbname", uri.getPath().substring(1));
    p.setProperty("database.user", source.user() == null ? "" : source.user());
    p.setProperty("database.password",
        source.password() == null ? "" : source.password());
    p.setProperty("topic.prefix", "ferry_" + slot());
    List<String> include = new ArrayList<>();
    for (List<String> table : tables) {
      include.add(schemaOf(table) + "\\." + table.get(table.size() - 1));
    }
    p.setProperty("table.include.list", String.join(",", include));
    p.setProperty("snapshot.mode", "no_data");
    p.setProperty("heartbeat.interval.ms", "500");
    p.setProperty("decimal.handling.mode", "precise");
    return p;
  }

  @Override
  public String capturedName(List<String> table) {
    return schemaOf(table) + "." + table.get(table.size() - 1);
  }

  /**
   * PostgreSQL sends a transaction's changes once its commit record is written, a moment before
   * the transaction is visible to new snapshots: waits until it is, so the re-read sees it.
   * (Debezium's txId has no epoch: after an xid wraparound the check passes at once.)
   */
  static void awaitVisible(Connection source, long txId) throws SQLException {
    try (PreparedStatement s = source.prepareStatement(
        "SELECT txid_visible_in_snapshot(?, txid_current_snapshot())")) {
      s.setLong(1, txId);
      for (int attempt = 0; attempt < 10_000; attempt++) {
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            return;
          }
        }
        Thread.onSpinWait();
      }
    }
    throw new SQLException("source transaction " + txId + " is not visible after its commit"
        + " was streamed");
  }
}
