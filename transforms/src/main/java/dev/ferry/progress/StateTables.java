package dev.ferry.progress;

import dev.ferry.jdbc.Dialect;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables in the target database where ferry keeps what a restart must know: the planned
 * ranges of each job and how far each got ({@code ferry_progress}), rows that could not be moved
 * ({@code ferry_dead_letter}, until a retry writes them or a person accepts them: {@link
 * DeadLetterStore}) and the runs themselves ({@code ferry_runs}). They live beside the
 * data so that a checkpoint and the rows it vouches for commit in one transaction.
 */
public final class StateTables {
  public static final String PROGRESS = "ferry_progress";
  public static final String DEAD_LETTER = "ferry_dead_letter";
  public static final String RUNS = "ferry_runs";

  private final Dialect dialect;
  private final List<String> schema;

  /** {@code schema} may be empty for the connection's default schema. */
  public StateTables(Dialect dialect, List<String> schema) {
    this.dialect = dialect;
    this.schema = List.copyOf(schema);
  }

  public String table(String name) {
    List<String> parts = new ArrayList<>(schema);
    parts.add(name);
    return dialect.quoteQualified(parts);
  }

  /**
   * The schema (when one is named; on MySQL a database) and the tables, each created only when
   * missing, so a job's first run on a fresh target sets its state up itself.
   */
  public List<String> createStatements() {
    boolean pg = dialect == Dialect.POSTGRESQL;
    String text = pg ? "TEXT" : "LONGTEXT";
    String ts = pg ? "TIMESTAMPTZ" : "TIMESTAMP(3) NULL";
    List<String> statements = new ArrayList<>();
    if (!schema.isEmpty()) {
      // PostgreSQL creates a schema in the connected database only: the last part names it.
      statements.add("CREATE SCHEMA IF NOT EXISTS " + dialect.quote(schema.get(schema.size() - 1)));
    }
    statements.addAll(List.of(
        "CREATE TABLE IF NOT EXISTS " + table(PROGRESS) + " ("
            + "job VARCHAR(200) NOT NULL, fingerprint VARCHAR(64) NOT NULL,"
            + " range_index INT NOT NULL, lower_key " + text + ", upper_key " + text + ","
            + " null_keys BOOLEAN NOT NULL, estimated_rows BIGINT NOT NULL,"
            + " seq BIGINT NOT NULL, last_key " + text + ", rows_read BIGINT NOT NULL,"
            + " rows_written BIGINT NOT NULL, rows_dead BIGINT NOT NULL, done BOOLEAN NOT NULL,"
            + " updated_at " + ts + ", watermark " + text + ","
            + " PRIMARY KEY (job, fingerprint, range_index))",
        "CREATE TABLE IF NOT EXISTS " + table(DEAD_LETTER) + " ("
            + "job VARCHAR(200) NOT NULL, fingerprint VARCHAR(64) NOT NULL,"
            + " key_hash CHAR(64) NOT NULL, stage VARCHAR(10) NOT NULL, row_key " + text
            + " NOT NULL, column_name VARCHAR(255), error " + text + " NOT NULL,"
            + " source_row " + text + " NOT NULL, run_id VARCHAR(64) NOT NULL,"
            + " created_at " + ts + ", accepted_at " + ts + ", accepted_note " + text + ","
            + " PRIMARY KEY (job, fingerprint, key_hash, stage))",
        "CREATE TABLE IF NOT EXISTS " + table(RUNS) + " ("
            + "job VARCHAR(200) NOT NULL, run_id VARCHAR(64) NOT NULL,"
            + " fingerprint VARCHAR(64) NOT NULL, kind VARCHAR(20) NOT NULL,"
            + " started_at " + ts + ", finished_at " + ts + ", status VARCHAR(20) NOT NULL,"
            + " since_value " + text + ", watermark " + text + ", rows_read BIGINT,"
            + " rows_written BIGINT, rows_dead BIGINT, PRIMARY KEY (job, run_id))"));
    return List.copyOf(statements);
  }

  /**
   * Columns added after the first release, as (table, column, type): {@code CREATE TABLE IF NOT
   * EXISTS} leaves an older table as it is, so {@link ProgressStore#ensureTables} adds them.
   */
  public List<String[]> addedColumns() {
    String text = dialect == Dialect.POSTGRESQL ? "TEXT" : "LONGTEXT";
    String ts = dialect == Dialect.POSTGRESQL ? "TIMESTAMPTZ" : "TIMESTAMP(3) NULL";
    return List.<String[]>of(new String[] {PROGRESS, "watermark", text},
        new String[] {DEAD_LETTER, "accepted_at", ts},
        new String[] {DEAD_LETTER, "accepted_note", text});
  }

  /**
   * Advances a range's checkpoint from chunk {@code seq - 1} to {@code seq}. The condition on the
   * previous sequence number makes it a no-op for a chunk written twice (a retried bundle) or out
   * of order, so the checkpoint only ever claims rows that are really committed.
   */
  public String advanceCheckpoint() {
    return "UPDATE " + table(PROGRESS) + " SET seq = ?, last_key = COALESCE(?, last_key),"
        + " rows_read = rows_read + ?, rows_written = rows_written + ?,"
        + " rows_dead = rows_dead + ?, done = ?, updated_at = CURRENT_TIMESTAMP"
        + " WHERE job = ? AND fingerprint = ? AND range_index = ? AND seq = ?";
  }

  /** Records a dead letter; a row rejected again on a re-run replaces its earlier entry. */
  public String upsertDeadLetter() {
    String insert = "INSERT INTO " + table(DEAD_LETTER) + " (job, fingerprint, key_hash, stage,"
        + " row_key, column_name, error, source_row, run_id, created_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)";
    if (dialect == Dialect.POSTGRESQL) {
      return insert + " ON CONFLICT (job, fingerprint, key_hash, stage) DO UPDATE SET"
          + " column_name = EXCLUDED.column_name, error = EXCLUDED.error,"
          + " source_row = EXCLUDED.source_row, run_id = EXCLUDED.run_id,"
          + " created_at = EXCLUDED.created_at";
    }
    return insert + " ON DUPLICATE KEY UPDATE column_name = VALUES(column_name),"
        + " error = VALUES(error), source_row = VALUES(source_row), run_id = VALUES(run_id),"
        + " created_at = VALUES(created_at)";
  }

  /** Runs one statement of the state tables with {@code params} bound in order. */
  static int update(java.sql.Connection c, String sql, Object... params)
      throws java.sql.SQLException {
    try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }
}
