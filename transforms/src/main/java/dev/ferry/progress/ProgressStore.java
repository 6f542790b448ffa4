package dev.ferry.progress;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.plan.KeyRange;
import dev.ferry.read.RangeTask;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The launcher's side of the state tables: creates them, saves a job's plan on its first run and
 * hands back on a later run exactly the ranges (and the points inside them) that are not done,
 * and keeps the run log that incremental catch-ups take their watermark from.
 */
public final class ProgressStore implements JobState {
  private final JdbcEndpoint endpoint;
  private final StateTables tables;
  private final DeadLetterStore deadLetters;

  public ProgressStore(JdbcEndpoint endpoint, List<String> stateSchema) {
    this.endpoint = endpoint;
    this.tables = new StateTables(endpoint.dialect(), stateSchema);
    this.deadLetters = new DeadLetterStore(endpoint, stateSchema);
  }

  @Override
  public void ensureTables() throws SQLException {
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET);
        Statement s = c.createStatement()) {
      for (String ddl : tables.createStatements()) {
        s.execute(ddl);
      }
      for (String[] added : tables.addedColumns()) {
        String table = tables.table(added[0]);
        String column = endpoint.dialect().quote(added[1]);
        try (ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + table
            + " WHERE 1 = 0")) {
          rs.next();
        } catch (SQLException missing) {
          s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + added[2]);
        }
      }
    }
  }

  /** Plans a job's ranges on the source; called only when no saved plan exists. */
  @FunctionalInterface
  public interface Planner {
    List<KeyRange> plan() throws SQLException;
  }

  /**
   * Takes a job's catch-up watermark (null: none); called only when no saved plan exists, before
   * the {@link Planner}, so before anything is read.
   */
  @FunctionalInterface
  public interface Watermark {
    String capture() throws SQLException;
  }

  /**
   * Forgets the saved plan and progress of (job, fingerprint), and its open dead letters, for a
   * deliberate full re-copy.
   */
  @Override
  public void forget(String job, String fingerprint) throws SQLException {
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET);
        PreparedStatement ps = c.prepareStatement("DELETE FROM "
            + tables.table(StateTables.PROGRESS) + " WHERE job = ? AND fingerprint = ?")) {
      ps.setString(1, job);
      ps.setString(2, fingerprint);
      ps.executeUpdate();
      deadLetters.forgetOpen(c, job, fingerprint);
    }
  }

  @Override
  public long openDeadLetters(String job, String fingerprint) throws SQLException {
    return deadLetters.open(job, fingerprint);
  }

  @Override
  public long acceptedDeadLetters(String job, String fingerprint) throws SQLException {
    return deadLetters.accepted(job, fingerprint);
  }

  /** The work of one run: what is left, and how much of the plan was already done. */
  public static final class Work {
    public final List<RangeTask> pending;
    public final int totalRanges;
    public final int doneRanges;
    public final boolean resumed;
    public final long estimatedRows;
    /** The watermark taken when the plan was made, kept across resumes; null: none. */
    public final String watermark;

    public Work(List<RangeTask> pending, int totalRanges, int doneRanges, boolean resumed,
        long estimatedRows, String watermark) {
      this.pending = pending;
      this.totalRanges = totalRanges;
      this.doneRanges = doneRanges;
      this.resumed = resumed;
      this.estimatedRows = estimatedRows;
      this.watermark = watermark;
    }
  }

  @Override
  public Work planOrResume(String job, String fingerprint, Planner planner)
      throws SQLException {
    return planOrResume(job, fingerprint, planner, () -> null);
  }

  /**
   * Loads the saved plan of (job, fingerprint) and its watermark or, on a first run, captures
   * the watermark, asks {@code planner} for a plan and saves both. Saving happens in one
   * transaction, so a run killed while planning plans again.
   */
  @Override
  public Work planOrResume(String job, String fingerprint, Planner planner,
      Watermark watermark) throws SQLException {
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET)) {
      c.setAutoCommit(false);
      List<RangeTask> pending = new ArrayList<>();
      int total = 0;
      int done = 0;
      long estimated = 0;
      String saved = null;
      try (PreparedStatement ps = c.prepareStatement("SELECT range_index, lower_key, upper_key,"
          + " null_keys, estimated_rows, seq, last_key, done, watermark FROM "
          + tables.table(StateTables.PROGRESS)
          + " WHERE job = ? AND fingerprint = ? ORDER BY range_index")) {
        ps.setString(1, job);
        ps.setString(2, fingerprint);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            total++;
            estimated += rs.getLong(5);
            saved = rs.getString(9);
            if (rs.getBoolean(8)) {
              done++;
              continue;
            }
            KeyRange range = KeyRange.fromText(rs.getInt(1), rs.getString(2), rs.getString(3),
                rs.getBoolean(4), rs.getLong(5));
            pending.add(new RangeTask(range, rs.getLong(6), rs.getString(7)));
          }
        }
      }
      if (total > 0) {
        c.commit();
        return new Work(pending, total, done, true, estimated, saved);
      }
      String taken = watermark.capture();
      List<KeyRange> ranges = planner.plan();
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO "
          + tables.table(StateTables.PROGRESS) + " (job, fingerprint, range_index, lower_key,"
          + " upper_key, null_keys, estimated_rows, seq, last_key, rows_read, rows_written,"
          + " rows_dead, done, updated_at, watermark) VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL, 0, 0,"
          + " 0, ?, CURRENT_TIMESTAMP, ?)")) {
        for (KeyRange r : ranges) {
          ins.setString(1, job);
          ins.setString(2, fingerprint);
          ins.setInt(3, r.index());
          ins.setString(4, r.lowerText());
          ins.setString(5, r.upperText());
          ins.setBoolean(6, r.nullKeys());
          ins.setLong(7, r.estimatedRows());
          ins.setBoolean(8, false);
          ins.setString(9, taken);
          ins.addBatch();
          pending.add(RangeTask.fresh(r));
          estimated += r.estimatedRows();
        }
        ins.executeBatch();
      }
      c.commit();
      return new Work(pending, ranges.size(), 0, false, estimated, taken);
    }
  }

  /** Totals over all ranges of (job, fingerprint), as committed so far. */
  public static final class Totals {
    public long ranges;
    public long rangesDone;
    /** Ranges not done with at least one chunk committed: being copied now (or interrupted). */
    public long rangesStarted;
    public long rowsRead;
    public long rowsWritten;
    public long rowsDead;
    public long estimatedRows;
  }

  @Override
  public Totals totals(String job, String fingerprint) throws SQLException {
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET);
        PreparedStatement ps = c.prepareStatement("SELECT count(*), COALESCE(SUM(CASE WHEN done"
            + " THEN 1 ELSE 0 END), 0), COALESCE(SUM(rows_read), 0), COALESCE(SUM(rows_written),"
            + " 0), COALESCE(SUM(rows_dead), 0), COALESCE(SUM(estimated_rows), 0),"
            + " COALESCE(SUM(CASE WHEN NOT done AND seq > 0 THEN 1 ELSE 0 END), 0) FROM "
            + tables.table(StateTables.PROGRESS) + " WHERE job = ? AND fingerprint = ?")) {
      ps.setString(1, job);
      ps.setString(2, fingerprint);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Totals t = new Totals();
        t.ranges = rs.getLong(1);
        t.rangesDone = rs.getLong(2);
        t.rowsRead = rs.getLong(3);
        t.rowsWritten = rs.getLong(4);
        t.rowsDead = rs.getLong(5);
        t.estimatedRows = rs.getLong(6);
        t.rangesStarted = rs.getLong(7);
        return t;
      }
    }
  }

  @Override
  public void startRun(String job, String runId, String fingerprint, String kind,
      String sinceValue) throws SQLException {
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET)) {
      StateTables.update(c, "INSERT INTO " + tables.table(StateTables.RUNS)
          + " (job, run_id, fingerprint, kind, started_at, status, since_value)"
          + " VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, 'running', ?)", job, runId, fingerprint, kind,
          sinceValue);
    }
  }

  /**
   * Holds a session lock named for the run on a target connection of its own, until closed:
   * PostgreSQL's advisory lock, MySQL's GET_LOCK. The server releases it when the session ends,
   * so a killed process's lock is free as soon as the server notices the connection is gone
   * (at once for a killed process, after TCP keepalive for a vanished host).
   */
  @Override
  public AutoCloseable holdRun(String runId) throws SQLException {
    Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET);
    try (PreparedStatement ps = c.prepareStatement(lockSql("pg_advisory_lock", "GET_LOCK(?, 0)"))) {
      ps.setString(1, lockName(runId));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c::close;
  }

  @Override
  public int markInterrupted(String job, String runId) throws SQLException {
    List<String> running = new ArrayList<>();
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET)) {
      try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM "
          + tables.table(StateTables.RUNS) + " WHERE job = ? AND status = 'running'"
          + " AND run_id <> ?")) {
        ps.setString(1, job);
        ps.setString(2, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            running.add(rs.getString(1));
          }
        }
      }
      int marked = 0;
      for (String other : running) {
        if (lockIsFree(c, other)) {
          try (PreparedStatement ps = c.prepareStatement("UPDATE "
              + tables.table(StateTables.RUNS) + " SET status = 'interrupted', finished_at ="
              + " CURRENT_TIMESTAMP WHERE job = ? AND run_id = ? AND status = 'running'")) {
            ps.setString(1, job);
            ps.setString(2, other);
            marked += ps.executeUpdate();
          }
        }
      }
      return marked;
    }
  }

  /** Whether no session holds the run's lock: taken and given back at once on PostgreSQL. */
  private boolean lockIsFree(Connection c, String runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(lockSql("pg_try_advisory_lock",
        "IS_FREE_LOCK(?)"))) {
      ps.setString(1, lockName(runId));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return false;
        }
      }
    }
    if (endpoint.dialect() == dev.ferry.jdbc.Dialect.POSTGRESQL) {
      try (PreparedStatement ps = c.prepareStatement(lockSql("pg_advisory_unlock", null))) {
        ps.setString(1, lockName(runId));
        ps.executeQuery().close();
      }
    }
    return true;
  }

  private String lockSql(String postgresFunction, String mysqlCall) {
    return "SELECT " + (endpoint.dialect() == dev.ferry.jdbc.Dialect.POSTGRESQL
        ? postgresFunction + "(hashtextextended(?, 0))" : mysqlCall);
  }

  /** At most 64 characters, MySQL's limit; run ids are unique on their own. */
  private static String lockName(String runId) {
    String name = "ferry_run:" + runId;
    return name.length() <= 64 ? name : name.substring(0, 64);
  }

  /**
   * Records the end of a run. On PostgreSQL this commit is synchronous: its WAL flush also makes
   * every earlier (asynchronous) chunk commit durable before the run reports success.
   */
  @Override
  public void finishRun(String job, String runId, String status, String watermark,
      long rowsRead, long rowsWritten, long rowsDead) throws SQLException {
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET)) {
      if (endpoint.dialect() == dev.ferry.jdbc.Dialect.POSTGRESQL) {
        try (Statement s = c.createStatement()) {
          s.execute("SET synchronous_commit TO on");
        }
      }
      finishRun(c, job, runId, status, watermark, rowsRead, rowsWritten, rowsDead);
    }
  }

  private void finishRun(Connection c, String job, String runId, String status,
      String watermark, long rowsRead, long rowsWritten, long rowsDead) throws SQLException {
    StateTables.update(c, "UPDATE " + tables.table(StateTables.RUNS)
        + " SET finished_at = CURRENT_TIMESTAMP, status = ?, watermark = ?, rows_read = ?,"
        + " rows_written = ?, rows_dead = ? WHERE job = ? AND run_id = ?", status, watermark,
        rowsRead, rowsWritten, rowsDead, job, runId);
  }

  /**
   * The watermark recorded by the job's latest successful run, or null when none recorded one:
   * where an incremental catch-up starts.
   */
  @Override
  public String lastWatermark(String job) throws SQLException {
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET);
        PreparedStatement ps = c.prepareStatement("SELECT watermark FROM "
            + tables.table(StateTables.RUNS) + " WHERE job = ? AND status = 'succeeded' AND"
            + " watermark IS NOT NULL ORDER BY finished_at DESC, run_id DESC")) {
      ps.setString(1, job);
      ps.setMaxRows(1);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Dead letters of (job, fingerprint), for export; each as the columns of the table. */
  @Override
  public List<String[]> deadLetters(String job, String fingerprint) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (Connection c = endpoint.connect(JdbcEndpoint.Role.TARGET);
        PreparedStatement ps = c.prepareStatement("SELECT row_key, stage, column_name, error,"
            + " source_row, run_id FROM " + tables.table(StateTables.DEAD_LETTER)
            + " WHERE job = ? AND fingerprint = ? ORDER BY stage, row_key")) {
      ps.setString(1, job);
      ps.setString(2, fingerprint);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getString(4), rs.getString(5), rs.getString(6)});
        }
      }
    }
    return rows;
  }
}
