package dev.ferry.pipelines.migrate;

import dev.ferry.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How far each table of a migration got, kept in the target ({@code ferry_migration}) beside the
 * backfill's own progress tables, so that a migration run again continues where it stopped: a
 * table that reached a phase never repeats it. Inside the load phase the backfill's checkpoints
 * resume a table where its last committed chunk ended.
 */
final class MigrationState {
  static final String TABLE = "ferry_migration";

  /** The phases of one table, in order. */
  enum Phase {
    /** Not created yet by this migration. */
    NONE,
    /** CREATE TABLE done (or the table existed and was kept). */
    CREATED,
    /** Every row copied by the backfill, within the dead-letter limit. */
    LOADED,
    /** Indexes, checks and foreign keys added and identity sequences moved past the data. */
    CONSTRAINED,
    /** The check after the load found the target equal to the source. */
    VERIFIED;

    boolean reached(Phase phase) {
      return compareTo(phase) >= 0;
    }
  }

  /** A table's saved state. */
  record Entry(Phase phase, String definitionHash, Long rowsLoaded, String detail) {}

  private final String table;
  private final String migration;

  MigrationState(List<String> stateSchema, String migration) {
    List<String> parts = new ArrayList<>(stateSchema);
    parts.add(TABLE);
    this.table = Dialect.POSTGRESQL.quoteQualified(parts);
    this.migration = migration;
  }

  /** A migration's name: {@code migrate-<database>[-<target schema>]}. */
  static String nameOf(MigrationPlan plan, MigrateSettings settings) {
    return "migrate-" + plan.schema.name() + settings.targetSchema.map(s -> "-" + s).orElse("");
  }

  String tableName() {
    return table;
  }

  void ensureTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table + " (migration text NOT NULL,"
          + " source_table text NOT NULL, target_table text NOT NULL, phase text NOT NULL,"
          + " definition_hash text NOT NULL, rows_loaded bigint, detail text,"
          + " updated_at timestamptz NOT NULL DEFAULT now(),"
          + " PRIMARY KEY (migration, source_table))");
    }
  }

  /** Every table's state, by source table name. */
  Map<String, Entry> load(Connection c) throws SQLException {
    Map<String, Entry> entries = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT source_table, phase, definition_hash,"
        + " rows_loaded, detail FROM " + table + " WHERE migration = ?")) {
      ps.setString(1, migration);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long rows = rs.getLong(4);
          Long rowsLoaded = rs.wasNull() ? null : rows;
          entries.put(rs.getString(1), new Entry(Phase.valueOf(rs.getString(2)), rs.getString(3),
              rowsLoaded, rs.getString(5)));
        }
      }
    }
    return entries;
  }

  /** Records a table's phase; in the caller's transaction when it has one open. */
  void record(Connection c, TableTask task, Phase phase, Long rowsLoaded, String detail)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (migration,"
        + " source_table, target_table, phase, definition_hash, rows_loaded, detail, updated_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, now()) ON CONFLICT (migration, source_table) DO UPDATE"
        + " SET target_table = EXCLUDED.target_table, phase = EXCLUDED.phase,"
        + " definition_hash = EXCLUDED.definition_hash, rows_loaded = EXCLUDED.rows_loaded,"
        + " detail = EXCLUDED.detail, updated_at = EXCLUDED.updated_at")) {
      ps.setString(1, migration);
      ps.setString(2, task.sourceTable());
      ps.setString(3, task.quotedTarget());
      ps.setString(4, phase.name());
      ps.setString(5, task.definitionHash());
      if (rowsLoaded == null) {
        ps.setNull(6, java.sql.Types.BIGINT);
      } else {
        ps.setLong(6, rowsLoaded);
      }
      ps.setString(7, detail);
      ps.executeUpdate();
    }
  }

  /** Updates the phase of a recorded table, keeping what else was recorded. */
  void advance(Connection c, TableTask task, Phase phase, Optional<String> detail)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET phase = ?,"
        + " detail = COALESCE(?, detail), updated_at = now()"
        + " WHERE migration = ? AND source_table = ?")) {
      ps.setString(1, phase.name());
      ps.setString(2, detail.orElse(null));
      ps.setString(3, migration);
      ps.setString(4, task.sourceTable());
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("table '" + task.sourceTable() + "' has no row in "
            + table + " for migration " + migration);
      }
    }
  }
}
