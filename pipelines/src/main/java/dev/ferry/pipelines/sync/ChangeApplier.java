package dev.ferry.pipelines.sync;

import dev.ferry.jdbc.ColumnReader;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.jdbc.SqlErrors;
import dev.ferry.map.MappingException;
import dev.ferry.map.RecordMapper;
import dev.ferry.read.SourceColumns;
import dev.ferry.record.ConversionException;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.record.RowJson;
import dev.ferry.write.TargetTable;
import dev.ferry.write.UpsertSql;
import dev.ferry.write.ValueBinder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a batch of captured changes to the target in one transaction, together with the
 * stream position that covers them. Each changed key is read again from the source (the
 * backfill's own column readers, mapping and target upsert): a row that exists is upserted, a
 * key that no longer exists is deleted from the target by its mapped key. Applying a key
 * therefore always leaves the target row equal to the source row as it is now, whatever the
 * target held before, which makes replaying any stretch of the stream harmless: after a crash,
 * from a position taken before the backfill, and in any order of backfill and change.
 */
final class ChangeApplier implements AutoCloseable {
  static final String FINGERPRINT = "sync";
  /**
   * Keys per re-read. MySQL/MariaDB estimate longer IN lists from index statistics
   * (eq_range_index_dive_limit, 200) and may then scan, and a locking read locks what it scans.
   */
  private static final int KEYS_PER_QUERY = 500;
  private static final int KEYS_PER_LOCKING_QUERY = 100;

  private final JdbcEndpoint source;
  private final JdbcEndpoint target;
  private final String job;
  private final String sourceTable;
  private final Layout sourceLayout;
  private final List<String> sourceKey;
  private final int[] sourceKeyIndexes;
  private final RecordMapper mapper;
  private final TargetTable table;
  private final ValueBinder[] binders;
  /** For each target key column, the source key column whose value it carries. */
  private final int[] targetKeyFromSource;
  private final int[] targetKeyColumns;
  private final boolean zeroDatesAsNull;
  private final SyncState state;
  private final String upsertSql;
  private final String deleteSql;
  private final String selectPrefix;
  private final SyncDeadLetters deadLetters;

  private Connection sourceConnection;
  private Connection targetConnection;
  private PreparedStatement upsert;
  private PreparedStatement delete;
  private PreparedStatement save;

  /** What one applied batch did. */
  static final class Applied {
    long upserted;
    long deleted;
    long dead;
  }

  ChangeApplier(SyncSetup setup) {
    this.source = setup.config.source;
    this.target = setup.config.target;
    this.job = setup.config.job;
    this.sourceTable = setup.prepared.sourceName();
    this.sourceLayout = setup.prepared.sourceLayout();
    this.sourceKey = setup.prepared.sourceKeyColumns();
    this.sourceKeyIndexes = sourceLayout.indexesOf(sourceKey);
    this.mapper = setup.prepared.mapper();
    this.table = setup.prepared.table();
    this.zeroDatesAsNull = setup.config.zeroDatesAsNull;
    this.state = new SyncState(target, setup.config.stateSchema);
    Dialect td = target.dialect();
    binders = new ValueBinder[table.columns().size()];
    for (int i = 0; i < binders.length; i++) {
      binders[i] = ValueBinder.forColumn(table.columns().column(i), td);
    }
    List<String> targetKey = table.keyColumns();
    targetKeyFromSource = new int[targetKey.size()];
    targetKeyColumns = table.columns().indexesOf(targetKey);
    for (int i = 0; i < targetKey.size(); i++) {
      targetKeyFromSource[i] = -1;
      for (int k = 0; k < sourceKey.size(); k++) {
        if (targetKey.get(i).equals(mapper.outputFor(sourceKey.get(k)))) {
          targetKeyFromSource[i] = k;
        }
      }
      if (targetKeyFromSource[i] < 0) {
        throw new IllegalArgumentException("target " + table.displayName() + ": key column '"
            + targetKey.get(i) + "' is not carried from a source key column " + sourceKey
            + "; sync deletes rows by the mapped source key");
      }
    }
    upsertSql = UpsertSql.build(td, table);
    List<String> where = new ArrayList<>();
    for (String k : targetKey) {
      where.add(td.quote(k) + " = ?");
    }
    deleteSql = "DELETE FROM " + td.quoteQualified(table.name()) + " WHERE "
        + String.join(" AND ", where);
    Dialect sd = source.dialect();
    selectPrefix = "SELECT " + SourceColumns.selectList(sd, sourceLayout) + " FROM "
        + setup.prepared.relation().fromClause(sd) + " WHERE ";
    deadLetters = new SyncDeadLetters(job, td, setup.config.stateSchema);
  }

  /**
   * Applies the changed keys and moves the stored position to {@code partition}/{@code offset}
   * in one target transaction; retried whole by the caller on a transient error.
   */
  Applied apply(Collection<KeyChange> keys, Map<String, ?> partition, Map<String, ?> offset,
      long events, long newestTxId) throws SQLException {
    connect();
    if (newestTxId > 0 && source.dialect() == Dialect.POSTGRESQL) {
      WalStream.awaitVisible(sourceConnection, newestTxId);
    }
    Applied applied = new Applied();
    try {
      List<DeadLetter> dead = new ArrayList<>();
      List<KeyChange> all = new ArrayList<>(keys);
      int perQuery = source.dialect() == Dialect.MYSQL ? KEYS_PER_LOCKING_QUERY : KEYS_PER_QUERY;
      for (int from = 0; from < all.size(); from += perQuery) {
        List<KeyChange> part = all.subList(from, Math.min(all.size(), from + perQuery));
        Map<KeyChange, Object[]> rows = read(part, dead);
        List<Object[]> sources = new ArrayList<>(part.size());
        List<Object[]> bound = new ArrayList<>(part.size());
        for (KeyChange k : part) {
          Object[] row = rows.get(k);
          if (row == null) {
            if (!rows.containsKey(k)) {
              applied.deleted += deleteRow(k);
            }
            continue;
          }
          Object[] converted = mapAndConvert(row, dead);
          if (converted != null) {
            sources.add(row);
            bound.add(converted);
          }
        }
        applied.upserted += upsertAll(sources, bound, dead);
      }
      for (DeadLetter d : dead) {
        deadLetters.add(d);
      }
      applied.dead = dead.size();
      SyncState.save(save, job, partition, offset, events);
      targetConnection.commit();
      return applied;
    } catch (SQLException | RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  /**
   * The keys' current source rows. A key whose row exists maps to it; a key whose row could not
   * be read maps to null (dead-lettered); a key with no row is absent (deleted at the source).
   */
  private Map<KeyChange, Object[]> read(List<KeyChange> keys, List<DeadLetter> dead)
      throws SQLException {
    Dialect sd = source.dialect();
    String one = sourceKey.size() == 1 ? "?" : "(" + String.join(", ",
        Collections.nCopies(sourceKey.size(), "?")) + ")";
    String lhs = sourceKey.size() == 1 ? sd.quote(sourceKey.get(0))
        : "(" + sd.columnList(sourceKey) + ")";
    // MariaDB/MySQL write a transaction to the binlog before its rows are visible to other
    // sessions (two-phase commit): a plain read could see the row as it was before the change
    // just received. A locking read waits for the writer's row locks, i.e. for its commit.
    String sql = selectPrefix + lhs + " IN (" + String.join(", ",
        Collections.nCopies(keys.size(), one)) + ")"
        + (sd == Dialect.MYSQL ? " LOCK IN SHARE MODE" : "");
    Map<KeyChange, Object[]> rows = new LinkedHashMap<>();
    try (PreparedStatement s = sourceConnection.prepareStatement(sql)) {
      int p = 1;
      for (KeyChange k : keys) {
        for (Object v : k.key()) {
          s.setObject(p++, v);
        }
      }
      try (ResultSet rs = s.executeQuery()) {
        ColumnReader[] readers = ColumnReader.forResultSet(rs.getMetaData(), sd);
        while (rs.next()) {
          Object[] row = new Object[readers.length];
          String failed = null;
          SQLException failure = null;
          for (int i = 0; i < readers.length; i++) {
            try {
              row[i] = readers[i].read(rs, i + 1);
            } catch (ColumnReader.ZeroDateException e) {
              if (!zeroDatesAsNull) {
                failed = sourceLayout.column(i).name();
                failure = e;
              }
            } catch (ColumnReader.UnreadableValueException e) {
              failed = sourceLayout.column(i).name();
              failure = e;
            }
          }
          KeyChange key = new KeyChange(keyOf(row));
          if (failure != null) {
            dead.add(deadLetter(DeadLetter.Stage.READ, key.key(), failed, "source "
                + sourceTable + ", column " + failed + ": " + failure.getMessage(), row));
            rows.put(key, null);
          } else {
            rows.put(key, row);
          }
        }
      }
    }
    // Keys the query returned are found by value; the source may spell them differently from
    // the change event (an INT as Long here, as Integer there), so both sides are normalized.
    Map<KeyChange, Object[]> byEventKey = new LinkedHashMap<>();
    for (KeyChange k : keys) {
      KeyChange normalized = new KeyChange(SyncValues.normalizeKey(k.key()));
      if (rows.containsKey(normalized)) {
        byEventKey.put(k, rows.get(normalized));
      }
    }
    return byEventKey;
  }

  private Object[] keyOf(Object[] row) {
    Object[] key = new Object[sourceKeyIndexes.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = row[sourceKeyIndexes[i]];
    }
    return SyncValues.normalizeKey(key);
  }

  private Object[] mapAndConvert(Object[] row, List<DeadLetter> dead) {
    Object[] mapped;
    try {
      mapped = mapper.map(row);
    } catch (MappingException e) {
      dead.add(deadLetter(DeadLetter.Stage.MAP, keyOf(row), e.column(), "source " + sourceTable
          + ": " + e.getMessage(), row));
      return null;
    }
    Object[] out = new Object[binders.length];
    for (int i = 0; i < binders.length; i++) {
      try {
        out[i] = binders[i].convert(mapped[i]);
      } catch (ConversionException e) {
        String message = e.getMessage().startsWith("column ") ? e.getMessage()
            : "column " + binders[i].column() + ": " + e.getMessage();
        dead.add(deadLetter(DeadLetter.Stage.WRITE, keyOf(row), binders[i].column(), "target "
            + table.displayName() + ", " + message, row));
        return null;
      }
    }
    return out;
  }

  /**
   * Upserts the rows in one batch under a savepoint; when the target rejects the batch, row by
   * row, so only the rejected rows are dead-lettered. Returns how many were written.
   */
  private int upsertAll(List<Object[]> sources, List<Object[]> bound, List<DeadLetter> dead)
      throws SQLException {
    if (bound.isEmpty()) {
      return 0;
    }
    Savepoint savepoint = targetConnection.setSavepoint();
    try {
      for (Object[] row : bound) {
        for (int i = 0; i < row.length; i++) {
          binders[i].bind(upsert, i + 1, row[i]);
        }
        upsert.addBatch();
      }
      upsert.executeBatch();
      targetConnection.releaseSavepoint(savepoint);
      return bound.size();
    } catch (SQLException e) {
      upsert.clearBatch();
      if (!SqlErrors.isDataError(e)) {
        throw e;
      }
      targetConnection.rollback(savepoint);
    }
    int written = 0;
    for (int r = 0; r < bound.size(); r++) {
      if (upsertRow(sources.get(r), bound.get(r), dead)) {
        written++;
      }
    }
    return written;
  }

  /** Upserts one row under a savepoint, so a row the target rejects is dead-lettered alone. */
  private boolean upsertRow(Object[] source, Object[] bound, List<DeadLetter> dead)
      throws SQLException {
    Savepoint savepoint = targetConnection.setSavepoint();
    try {
      for (int i = 0; i < bound.length; i++) {
        binders[i].bind(upsert, i + 1, bound[i]);
      }
      upsert.executeUpdate();
      targetConnection.releaseSavepoint(savepoint);
      return true;
    } catch (SQLException e) {
      if (!SqlErrors.isDataError(e)) {
        throw e;
      }
      targetConnection.rollback(savepoint);
      dead.add(deadLetter(DeadLetter.Stage.WRITE, keyOf(source), null, "target "
          + table.displayName() + " rejected the row: " + SqlErrors.message(e),
          source));
      return false;
    }
  }

  private int deleteRow(KeyChange k) throws SQLException {
    Object[] key = SyncValues.normalizeKey(k.key());
    for (int i = 0; i < targetKeyFromSource.length; i++) {
      int column = targetKeyColumns[i];
      Object value;
      try {
        value = binders[column].convert(key[targetKeyFromSource[i]]);
      } catch (ConversionException e) {
        throw new IllegalStateException("target " + table.displayName() + ": the deleted key "
            + KeyCodec.readable(sourceKey, key) + " cannot be bound to column "
            + binders[column].column() + ": " + e.getMessage(), e);
      }
      binders[column].bind(delete, i + 1, value);
    }
    return delete.executeUpdate();
  }

  private DeadLetter deadLetter(DeadLetter.Stage stage, Object[] key, String column,
      String error, Object[] row) {
    return new DeadLetter(KeyCodec.readable(sourceKey, key), stage, column, error,
        RowJson.render(sourceLayout, row));
  }

  private void connect() throws SQLException {
    if (targetConnection != null) {
      return;
    }
    sourceConnection = source.connect(JdbcEndpoint.Role.SOURCE);
    sourceConnection.setAutoCommit(true);
    // Each re-read is its own transaction; READ COMMITTED takes no gap locks.
    sourceConnection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    targetConnection = target.connect(JdbcEndpoint.Role.TARGET);
    targetConnection.setAutoCommit(false);
    upsert = targetConnection.prepareStatement(upsertSql);
    delete = targetConnection.prepareStatement(deleteSql);
    save = targetConnection.prepareStatement(state.saveSql());
    deadLetters.prepare(targetConnection);
  }

  private void closeQuietly() {
    for (AutoCloseable c : new AutoCloseable[] {sourceConnection, targetConnection}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // the connection is being discarded; its transaction rolls back with it
      }
    }
    sourceConnection = null;
    targetConnection = null;
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
