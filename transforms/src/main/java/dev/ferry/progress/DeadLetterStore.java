package dev.ferry.progress;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.record.Sha256;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The life of a job's dead letters after a run wrote them ({@code ferry deadletters}): listed,
 * accepted by a person (recorded with when and an optional note, so the backfill's exit code and
 * reconcile count them as accepted instead of failing forever), and removed once a retry wrote
 * their row. A dead letter is open until it is accepted or its row is written.
 */
public final class DeadLetterStore {
  /** Row keys per statement, well below every engine's parameter limit. */
  private static final int BATCH = 500;

  private final JdbcEndpoint endpoint;
  private final StateTables tables;

  public DeadLetterStore(JdbcEndpoint endpoint, List<String> stateSchema) {
    this.endpoint = endpoint;
    this.tables = new StateTables(endpoint.dialect(), stateSchema);
  }

  /** One dead letter as the table holds it. */
  public static final class Entry {
    public String fingerprint;
    public String stage;
    /** The source row's key as JSON, e.g. {@code {"id":42}}. */
    public String rowKey;
    public String column;
    public String error;
    public String sourceRow;
    public String runId;
    public Timestamp createdAt;
    /** When a person accepted it; null while it is open. */
    public Timestamp acceptedAt;
    public String acceptedNote;

    public boolean accepted() {
      return acceptedAt != null;
    }
  }

  private String table() {
    return tables.table(StateTables.DEAD_LETTER);
  }

  /** Every dead letter of {@code job} (all its fingerprints), by stage and key. */
  public List<Entry> list(String job) throws SQLException {
    List<Entry> entries = new ArrayList<>();
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET);
        PreparedStatement ps = c.prepareStatement("SELECT fingerprint, stage, row_key,"
            + " column_name, error, source_row, run_id, created_at, accepted_at, accepted_note"
            + " FROM " + table() + " WHERE job = ? ORDER BY fingerprint, stage, row_key")) {
      ps.setString(1, job);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Entry e = new Entry();
          e.fingerprint = rs.getString(1);
          e.stage = rs.getString(2);
          e.rowKey = rs.getString(3);
          e.column = rs.getString(4);
          e.error = rs.getString(5);
          e.sourceRow = rs.getString(6);
          e.runId = rs.getString(7);
          e.createdAt = rs.getTimestamp(8);
          e.acceptedAt = rs.getTimestamp(9);
          e.acceptedNote = rs.getString(10);
          entries.add(e);
        }
      }
    }
    return entries;
  }

  /** Open (not accepted) dead letters of (job, fingerprint): what the exit code counts. */
  public long open(String job, String fingerprint) throws SQLException {
    return count(job, fingerprint, "accepted_at IS NULL");
  }

  /** Accepted dead letters of (job, fingerprint). */
  public long accepted(String job, String fingerprint) throws SQLException {
    return count(job, fingerprint, "accepted_at IS NOT NULL");
  }

  private long count(String job, String fingerprint, String condition) throws SQLException {
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET);
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table()
            + " WHERE job = ? AND fingerprint = ? AND " + condition)) {
      ps.setString(1, job);
      ps.setString(2, fingerprint);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Accepts the open dead letters of {@code job} whose row key is one of {@code rowKeys} (null:
   * all of them), with {@code note} (may be null); returns how many.
   */
  public int accept(String job, List<String> rowKeys, String note) throws SQLException {
    String set = "UPDATE " + table() + " SET accepted_at = CURRENT_TIMESTAMP, accepted_note = ?"
        + " WHERE job = ? AND accepted_at IS NULL";
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET)) {
      if (rowKeys == null) {
        try (PreparedStatement ps = c.prepareStatement(set)) {
          ps.setString(1, note);
          ps.setString(2, job);
          return ps.executeUpdate();
        }
      }
      int accepted = 0;
      for (List<String> batch : batches(hashes(rowKeys))) {
        try (PreparedStatement ps = c.prepareStatement(set + " AND key_hash IN ("
            + placeholders(batch.size()) + ")")) {
          ps.setString(1, note);
          ps.setString(2, job);
          bind(ps, 3, batch);
          accepted += ps.executeUpdate();
        }
      }
      return accepted;
    }
  }

  /**
   * After a retry run {@code runId} of (job, fingerprint) finished: removes the dead letters of
   * {@code rowKeys} that the run did not write again (their row is in the target now, or gone
   * from the source), and returns how many. A row the retry rejected again carries the retry's
   * run id, with its new reason, and stays.
   */
  public int removeResolved(String job, String fingerprint, List<String> rowKeys, String runId)
      throws SQLException {
    int removed = 0;
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET)) {
      for (List<String> batch : batches(hashes(rowKeys))) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table()
            + " WHERE job = ? AND fingerprint = ? AND run_id <> ? AND key_hash IN ("
            + placeholders(batch.size()) + ")")) {
          ps.setString(1, job);
          ps.setString(2, fingerprint);
          ps.setString(3, runId);
          bind(ps, 4, batch);
          removed += ps.executeUpdate();
        }
      }
    }
    return removed;
  }

  /**
   * Forgets the open dead letters of (job, fingerprint) before a deliberate full re-copy, which
   * writes anew those it rejects again; accepted ones are kept.
   */
  void forgetOpen(Connection c, String job, String fingerprint) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table()
        + " WHERE job = ? AND fingerprint = ? AND accepted_at IS NULL")) {
      ps.setString(1, job);
      ps.setString(2, fingerprint);
      ps.executeUpdate();
    }
  }

  private static List<List<String>> batches(List<String> keys) {
    List<List<String>> out = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += BATCH) {
      out.add(keys.subList(from, Math.min(keys.size(), from + BATCH)));
    }
    return out;
  }

  private static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  private static void bind(PreparedStatement ps, int first, List<String> values)
      throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setString(first + i, values.get(i));
    }
  }

  /**
   * The keys' hashes, as the writer stores them ({@code key_hash}): compared instead of the
   * keys' text, which MySQL would compare by a case-insensitive collation.
   */
  private static List<String> hashes(List<String> rowKeys) {
    List<String> out = new ArrayList<>(rowKeys.size());
    for (String k : rowKeys) {
      out.add(Sha256.hex(k));
    }
    return out;
  }
}
