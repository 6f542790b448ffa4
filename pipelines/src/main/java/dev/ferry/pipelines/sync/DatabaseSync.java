package dev.ferry.pipelines.sync;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.pipelines.backfill.BackfillConfig;
import java.sql.SQLException;
import java.util.List;

/**
 * The sync of many tables of one source database through one change stream, for {@code ferry
 * migrate --sync} and {@code --cutover}: every table is applied through its own backfill job
 * (mapping, writer, dead letters), and one position, named after the migration, is committed in
 * the target with every batch. Tables are given parents first (the migration's load order):
 * rows are upserted in that order and deleted in the reverse one.
 */
public final class DatabaseSync {
  private final SyncSetup setup;

  private DatabaseSync(SyncSetup setup) {
    this.setup = setup;
  }

  /**
   * A sync named {@code name} of the tables {@code jobs} copy, parents first; {@code
   * sourceTables} names the source table of each job ({@code [table]} in the URL's database).
   */
  public static DatabaseSync of(String name, List<BackfillConfig> jobs,
      List<List<String>> sourceTables, long serverId) throws SQLException {
    if (jobs.isEmpty()) {
      throw new IllegalArgumentException("sync " + name + ": no tables to sync");
    }
    return new DatabaseSync(SyncSetup.of(name, jobs, sourceTables, serverId));
  }

  /**
   * What {@code source} lacks for the change capture of {@code sourceTables}, each with exactly
   * what to change; empty: ready. Needs no target.
   */
  public static List<String> problems(JdbcEndpoint source, String name,
      List<List<String>> sourceTables) throws SQLException {
    return SyncSetup.stream(source, name, sourceTables, 0).problems();
  }

  /** Whether a position is stored already (an earlier run took it). */
  public boolean prepared() throws SQLException {
    SyncState state = new SyncState(setup.config.target, setup.config.stateSchema);
    state.ensureTable();
    return state.load(setup.job) != null;
  }

  /** Records the source's current position as where the sync starts; returns it as text. */
  public String prepare() throws SQLException {
    return SyncCommand.prepare(setup);
  }

  /**
   * Streams every table's changes until stopped, or caught up with {@code --untilCaughtUp}; returns
   * the exit code (the reason printed).
   */
  public int stream(SyncStreamOptions options, String command) {
    return SyncCommand.stream(setup, options, command);
  }

  /**
   * Applies the stream until the target holds every change the source had committed when it
   * started; returns 0 then, else the exit code (the reason printed).
   */
  public int catchUp(SyncStreamOptions options, String command) {
    return CutoverCommand.catchUp(setup, options, command);
  }

  /** Restarts every target table's sequences past the source's ids; one line per sequence. */
  public List<String> restartSequences() throws SQLException {
    return Sequences.restart(setup);
  }

  /** What to do after a ready verdict, with the commands of the rollback stream. */
  public String checklist(String rollbackStream, String rollbackCutover) {
    return CutoverCommand.checklist(setup.config.targetName(), setup.config.sourceName(),
        rollbackStream, rollbackCutover);
  }

  public String redact(String message) {
    return setup.config.redact(message);
  }
}
