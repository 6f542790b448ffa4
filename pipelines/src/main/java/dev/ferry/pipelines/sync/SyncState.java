package dev.ferry.pipelines.sync;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.progress.ProgressStore;
import dev.ferry.progress.StateTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Where a sync keeps its position in the change stream: one row per job in {@code ferry_sync}
 * of the target's state schema. The applier updates the row in the same transaction as the
 * changes it covers ({@link #save}), so after a crash the stream resumes exactly after the last
 * committed change.
 */
final class SyncState {
  static final String TABLE = "ferry_sync";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcEndpoint target;
  private final List<String> schema;
  private final StateTables tables;

  /** The stored position: Debezium's source partition and offset, and the events applied. */
  static final class Position {
    final Map<String, Object> partition;
    final Map<String, Object> offset;
    final long events;

    Position(Map<String, Object> partition, Map<String, Object> offset, long events) {
      this.partition = partition;
      this.offset = offset;
      this.events = events;
    }
  }

  SyncState(JdbcEndpoint target, List<String> schema) {
    this.target = target;
    this.schema = schema;
    this.tables = new StateTables(target.dialect(), schema);
  }

  String table() {
    return tables.table(TABLE);
  }

  void ensureTable() throws SQLException {
    new ProgressStore(target, schema).ensureTables();
    boolean pg = target.dialect() == Dialect.POSTGRESQL;
    String text = pg ? "TEXT" : "LONGTEXT";
    String ts = pg ? "TIMESTAMPTZ" : "TIMESTAMP(3) NULL";
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table() + " (job VARCHAR(200) NOT NULL,"
          + " source_partition " + text + " NOT NULL, source_offset " + text + " NOT NULL,"
          + " events_applied BIGINT NOT NULL, updated_at " + ts + ", PRIMARY KEY (job))");
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
  }

  /**
   * Fails while a backfill of the job is running: its older copy of a row could overwrite a
   * newer one that sync applied. Runs whose process is gone are marked interrupted first.
   */
  void requireNoBackfillRunning(String job) throws SQLException {
    new ProgressStore(target, schema).markInterrupted(job, "");
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET);
        PreparedStatement s = c.prepareStatement("SELECT run_id FROM "
            + tables.table(StateTables.RUNS) + " WHERE job = ? AND status = 'running'")) {
      s.setString(1, job);
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          throw new IllegalStateException("a backfill of job " + job + " is running (run "
              + rs.getString(1) + "); start ferry sync once it has finished");
        }
      }
    }
  }

  /** The job's stored position, or null before {@code ferry sync --prepare}. */
  Position load(String job) throws SQLException {
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET);
        PreparedStatement s = c.prepareStatement("SELECT source_partition, source_offset,"
            + " events_applied FROM " + table() + " WHERE job = ?")) {
      s.setString(1, job);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Position(parse(rs.getString(1)), parse(rs.getString(2)), rs.getLong(3));
      }
    }
  }

  /** Stores the position a first sync starts from, replacing any earlier one. */
  void prepare(String job, Map<String, ?> partition, Map<String, ?> offset) throws SQLException {
    try (Connection c = target.connect(JdbcEndpoint.Role.TARGET)) {
      c.setAutoCommit(false);
      try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table()
          + " WHERE job = ?")) {
        d.setString(1, job);
        d.executeUpdate();
      }
      try (PreparedStatement i = c.prepareStatement("INSERT INTO " + table() + " (job,"
          + " source_partition, source_offset, events_applied, updated_at)"
          + " VALUES (?, ?, ?, 0, CURRENT_TIMESTAMP)")) {
        i.setString(1, job);
        i.setString(2, render(partition));
        i.setString(3, render(offset));
        i.executeUpdate();
      }
      c.commit();
    }
  }

  /** The statement {@link #save} runs; prepared once per connection by the applier. */
  String saveSql() {
    return "UPDATE " + table() + " SET source_partition = ?, source_offset = ?,"
        + " events_applied = events_applied + ?, updated_at = CURRENT_TIMESTAMP WHERE job = ?";
  }

  /** Moves the position inside the caller's transaction. */
  static void save(PreparedStatement saveSql, String job, Map<String, ?> partition,
      Map<String, ?> offset, long events) throws SQLException {
    saveSql.setString(1, render(partition));
    saveSql.setString(2, render(offset));
    saveSql.setLong(3, events);
    saveSql.setString(4, job);
    if (saveSql.executeUpdate() != 1) {
      throw new SQLException("the sync position of job " + job + " is gone from its state table;"
          + " run ferry sync --prepare again (and the backfill after it)");
    }
  }

  static String render(Map<String, ?> map) {
    try {
      return JSON.writeValueAsString(map);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> parse(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
