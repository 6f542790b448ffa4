package dev.ferry.pipelines.sync;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch of captured changes to the target in one transaction, together with the
 * stream position that covers them. Each changed key is read again from the source and applied
 * by its table's {@link TableApplier}: a row that exists is upserted, a key that no longer exists
 * is deleted from the target by its mapped key. Applying a key therefore always leaves the target
 * row equal to the source row as it is now, whatever the target held before, which makes
 * replaying any stretch of the stream harmless: after a crash, from a position taken before the
 * backfill, and in any order of backfill and change.
 *
 * <p>With several tables (a whole database) the rows are upserted parents first and deleted
 * children first, in the order the tables were given (the migration's load order), so the
 * target's foreign keys hold at every statement; a row they refuse all the same (the re-read saw
 * the source ahead of the stream) is deferred to the later batch that carries its change.
 */
final class ChangeApplier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeApplier.class);
  static final String FINGERPRINT = "sync";

  private final JdbcEndpoint source;
  private final JdbcEndpoint target;
  private final String job;
  private final List<SyncedTable> tables;
  private final List<TableApplier> appliers = new ArrayList<>();
  private final SyncState state;

  private Connection sourceConnection;
  private Connection targetConnection;
  private PreparedStatement save;

  /** What one applied batch did. */
  static final class Applied {
    long upserted;
    long deleted;
    long dead;
    /** Rows a foreign key refused for now ({@link TableApplier}); a later batch applies them. */
    long deferred;
  }

  ChangeApplier(SyncSetup setup) {
    this.source = setup.config.source;
    this.target = setup.config.target;
    this.job = setup.job;
    this.tables = setup.tables;
    for (SyncedTable t : tables) {
      appliers.add(new TableApplier(t));
    }
    this.state = new SyncState(target, setup.config.stateSchema);
  }

  /**
   * Applies the batch's changed keys and moves the stored position past them in one target
   * transaction; retried whole by the caller on a transient error.
   */
  Applied apply(ChangeBatch batch) throws SQLException {
    connect();
    if (batch.newestTxId > 0 && source.dialect() == Dialect.POSTGRESQL) {
      WalStream.awaitVisible(sourceConnection, batch.newestTxId);
    }
    Applied applied = new Applied();
    try {
      List<TableApplier.Pending> pending = new ArrayList<>(tables.size());
      for (int t = 0; t < tables.size(); t++) {
        Set<KeyChange> keys = batch.keys.get(t);
        pending.add(keys == null || keys.isEmpty() ? null
            : appliers.get(t).read(sourceConnection, keys));
      }
      for (int t = 0; t < tables.size(); t++) {
        if (pending.get(t) != null) {
          applied.upserted += appliers.get(t).upsert(targetConnection, pending.get(t));
        }
      }
      for (int t = tables.size() - 1; t >= 0; t--) {
        if (pending.get(t) != null) {
          applied.deleted += appliers.get(t).delete(targetConnection, pending.get(t));
          applied.dead += appliers.get(t).deadLetter(pending.get(t));
          applied.deferred += pending.get(t).deferred;
        }
      }
      SyncState.save(save, job, batch.partition, batch.offset, batch.events);
      targetConnection.commit();
      if (applied.deferred > 0) {
        LOG.info("sync {}: {} rows deferred: the source was read ahead of the stream and the"
            + " target's foreign keys refuse them until the later changes arrive", job,
            applied.deferred);
      }
      return applied;
    } catch (SQLException | RuntimeException e) {
      closeQuietly();
      throw e;
    }
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
    for (TableApplier a : appliers) {
      a.prepare(targetConnection);
    }
    save = targetConnection.prepareStatement(state.saveSql());
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
