package dev.ferry.pipelines.sync;

import dev.ferry.jdbc.ColumnReader;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.Savepoints;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One synced table's part of a batch: its changed keys read again from the source (the
 * backfill's own column readers and mapping), the rows that exist upserted into the target table
 * and the keys that no longer exist deleted by their mapped key, rows the mapping or the target
 * rejects dead-lettered under the table's job. Works on the connections of {@link ChangeApplier},
 * inside its transaction.
 */
final class TableApplier {
  /**
   * Keys per re-read. MySQL/MariaDB estimate longer IN lists from index statistics
   * (eq_range_index_dive_limit, 200) and may then scan, and a locking read locks what it scans.
   */
  private static final int KEYS_PER_QUERY = 500;
  private static final int KEYS_PER_LOCKING_QUERY = 100;
  private static final String FOREIGN_KEY_VIOLATION = "23503";

  private final Dialect sourceDialect;
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
  private final String upsertSql;
  private final String deleteSql;
  private final String selectPrefix;
  private final SyncDeadLetters deadLetters;
  private PreparedStatement upsert;
  private PreparedStatement delete;

  /** What reading a table's changed keys found. */
  static final class Pending {
    final List<Object[]> sources = new ArrayList<>();
    final List<Object[]> bound = new ArrayList<>();
    final List<KeyChange> gone = new ArrayList<>();
    final List<DeadLetter> dead = new ArrayList<>();
    /** Rows a foreign key of the target refused: applied again by a later batch. */
    long deferred;
  }

  TableApplier(SyncedTable synced) {
    this.sourceDialect = synced.config.source.dialect();
    this.sourceTable = synced.prepared.sourceName();
    this.sourceLayout = synced.prepared.sourceLayout();
    this.sourceKey = synced.keyColumns();
    this.sourceKeyIndexes = sourceLayout.indexesOf(sourceKey);
    this.mapper = synced.prepared.mapper();
    this.table = synced.prepared.table();
    this.zeroDatesAsNull = synced.config.zeroDatesAsNull;
    Dialect td = synced.config.target.dialect();
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
    selectPrefix = "SELECT " + SourceColumns.selectList(sourceDialect, sourceLayout) + " FROM "
        + synced.prepared.relation().fromClause(sourceDialect) + " WHERE ";
    deadLetters = new SyncDeadLetters(synced.config.job, td, synced.config.stateSchema);
  }

  /** Prepares the table's statements on a new target connection. */
  void prepare(Connection target) throws SQLException {
    upsert = target.prepareStatement(upsertSql);
    delete = target.prepareStatement(deleteSql);
    deadLetters.prepare(target);
  }

  /** Reads the keys' current source rows, mapped and converted for the target. */
  Pending read(Connection source, Collection<KeyChange> keys) throws SQLException {
    Pending pending = new Pending();
    List<KeyChange> all = new ArrayList<>(keys);
    int perQuery = sourceDialect == Dialect.MYSQL ? KEYS_PER_LOCKING_QUERY : KEYS_PER_QUERY;
    for (int from = 0; from < all.size(); from += perQuery) {
      List<KeyChange> part = all.subList(from, Math.min(all.size(), from + perQuery));
      Map<KeyChange, Object[]> rows = read(source, part, pending.dead);
      for (KeyChange k : part) {
        Object[] row = rows.get(k);
        if (row == null) {
          if (!rows.containsKey(k)) {
            pending.gone.add(k);
          }
          continue;
        }
        Object[] converted = mapAndConvert(row, pending.dead);
        if (converted != null) {
          pending.sources.add(row);
          pending.bound.add(converted);
        }
      }
    }
    return pending;
  }

  /**
   * The keys' current source rows. A key whose row exists maps to it; a key whose row could not
   * be read maps to null (dead-lettered); a key with no row is absent (deleted at the source).
   */
  private Map<KeyChange, Object[]> read(Connection source, List<KeyChange> keys,
      List<DeadLetter> dead) throws SQLException {
    Dialect sd = sourceDialect;
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
    try (PreparedStatement s = source.prepareStatement(sql)) {
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
        dead.add(deadLetter(DeadLetter.Stage.WRITE, keyOf(row), binders[i].column(), "target "
            + table.displayName() + ", " + binders[i].failure(e), row));
        return null;
      }
    }
    return out;
  }

  /**
   * Upserts the rows in one batch under a savepoint; when the target rejects the batch, row by
   * row, so only the rejected rows are dead-lettered (or deferred). Returns how many were written.
   */
  long upsert(Connection target, Pending pending) throws SQLException {
    if (pending.bound.isEmpty()) {
      return 0;
    }
    SQLException refused = Savepoints.attempt(target, () -> {
      try {
        for (Object[] row : pending.bound) {
          bind(row);
          upsert.addBatch();
        }
        upsert.executeBatch();
      } catch (SQLException e) {
        upsert.clearBatch();
        throw e;
      }
    }, e -> foreignKey(e) || SqlErrors.isDataError(e));
    if (refused == null) {
      return pending.bound.size();
    }
    long written = 0;
    for (int r = 0; r < pending.bound.size(); r++) {
      if (upsertRow(target, pending.sources.get(r), pending.bound.get(r), pending)) {
        written++;
      }
    }
    return written;
  }

  /**
   * Upserts one row under a savepoint, so a row the target rejects is dead-lettered alone, and
   * one a foreign key refuses is deferred.
   */
  private boolean upsertRow(Connection target, Object[] source, Object[] bound, Pending pending)
      throws SQLException {
    SQLException refused = Savepoints.attempt(target, () -> {
      bind(bound);
      upsert.executeUpdate();
    }, e -> foreignKey(e) || SqlErrors.isDataError(e));
    if (refused == null) {
      return true;
    }
    if (foreignKey(refused)) {
      pending.deferred++;
    } else {
      pending.dead.add(deadLetter(DeadLetter.Stage.WRITE, keyOf(source), null, "target "
          + table.displayName() + " rejected the row: " + SqlErrors.message(refused), source));
    }
    return false;
  }

  private void bind(Object[] bound) throws SQLException {
    for (int i = 0; i < bound.length; i++) {
      binders[i].bind(upsert, i + 1, bound[i]);
    }
  }

  /**
   * Whether a foreign key of the target refused the statement. The re-read can see the source
   * ahead of the stream: a parent deleted (or a child pointed at a new parent) by a transaction
   * whose events come in a later batch, together with the children's deletes (the new parent's
   * insert). Such a row is deferred, not dead-lettered: that later batch applies its key again.
   */
  private static boolean foreignKey(SQLException e) {
    return SqlErrors.hasState(e, FOREIGN_KEY_VIOLATION);
  }

  /**
   * Deletes the keys gone from the source by their mapped key, under a savepoint; when a foreign
   * key refuses one, row by row, deferring the refused ones. Returns the rows deleted.
   */
  long delete(Connection target, Pending pending) throws SQLException {
    if (pending.gone.isEmpty()) {
      return 0;
    }
    long[] deleted = {0};
    if (Savepoints.attempt(target, () -> {
      for (KeyChange k : pending.gone) {
        deleted[0] += deleteRow(k);
      }
    }, TableApplier::foreignKey) == null) {
      return deleted[0];
    }
    deleted[0] = 0;
    for (KeyChange k : pending.gone) {
      if (Savepoints.attempt(target, () -> deleted[0] += deleteRow(k),
          TableApplier::foreignKey) != null) {
        pending.deferred++;
      }
    }
    return deleted[0];
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

  /** Records the table's rejected rows; returns how many. */
  long deadLetter(Pending pending) throws SQLException {
    for (DeadLetter d : pending.dead) {
      deadLetters.add(d);
    }
    return pending.dead.size();
  }

  private DeadLetter deadLetter(DeadLetter.Stage stage, Object[] key, String column,
      String error, Object[] row) {
    return new DeadLetter(KeyCodec.readable(sourceKey, key), stage, column, error,
        RowJson.render(sourceLayout, row));
  }
}
