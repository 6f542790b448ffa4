package dev.ferry.pipelines.migrate;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.migrate.MigrationState.Entry;
import dev.ferry.pipelines.migrate.MigrationState.Phase;
import dev.ferry.pipelines.sync.DatabaseSync;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code ferry migrate --cutover}: the whole-database cutover of a migration made with {@code
 * --sync}, once the application's writes to the source are stopped. Applies the rest of the
 * change stream until the target holds every change the source had committed, checks every table
 * on reconcile's fast path (each clean one is recorded as verified), validates the foreign keys
 * the stream ran under as {@code NOT VALID}, restarts every table's sequences past the source's
 * ids, and prints one verdict with the checklist. Exit codes ({@link
 * ExitCodes}): 0 ready to switch, 1 failed, 2 the migration is not loaded or was made without
 * {@code --sync}, 4 a table differs, 6 the source is not ready, 7 a DDL change stopped the
 * catch-up, 8 not caught up within {@code --catchUpTimeoutSeconds}.
 */
final class MigrationCutover {
  private static final String COMMAND = "ferry migrate --cutover";

  private final MigrationSync sync;
  private final MigrationState state;

  /** The cutover of the migration {@code sync} streams into, with its options and summary. */
  MigrationCutover(MigrationSync sync) {
    this.sync = sync;
    this.state = new MigrationState(sync.settings.stateSchema, sync.name);
    sync.summary.command = "migrate --cutover";
    sync.summary.migration = sync.name;
  }

  void run(TableCheck check) throws Exception {
    long started = System.nanoTime();
    if (!sync.sourceReady() || !migrated()) {
      return;
    }
    DatabaseSync stream = sync.sync();
    if (!stream.prepared()) {
      notReady(ExitCodes.INVALID, "migration " + sync.name + " has no change stream position:"
          + " it was made without --sync. Run ferry migrate --sync=true --reload=<every table>");
      return;
    }
    int caughtUp = stream.catchUp(sync.options, COMMAND);
    if (caughtUp != ExitCodes.OK) {
      notReady(caughtUp, "not caught up with the source (exit " + caughtUp + ", the reason is"
          + " printed above)");
      return;
    }
    System.out.println(COMMAND + " " + sync.name + ": caught up; reconciling every table (fast"
        + " path)");
    sync.summary.check = check.name();
    Map<String, TableCheck.Outcome> outcomes = new ConcurrentHashMap<>();
    new ParallelTables(sync.options.getParallelTables()).run(sync.plan.tables, "cutover-check",
        task -> outcomes.put(task.sourceTable(), check.check(task)));
    List<String> differing = new ArrayList<>();
    try (Connection c = sync.target.connect(JdbcEndpoint.Role.TARGET)) {
      for (TableTask task : sync.plan.tables) {
        TableCheck.Outcome outcome = outcomes.get(task.sourceTable());
        Phase phase = outcome.clean() ? Phase.VERIFIED : Phase.CONSTRAINED;
        String detail = (outcome.clean() ? "" : "differences: ") + outcome.detail();
        state.advance(c, task, phase, Optional.of(detail));
        result(task, phase, detail);
        if (!outcome.clean()) {
          differing.add(task.sourceTable());
        }
      }
    }
    if (!differing.isEmpty()) {
      notReady(ExitCodes.DIFFERENCES, "tables " + differing + " differ from the source; do not"
          + " switch. Keep ferry migrate --sync running, look at the differences (ferry"
          + " reconcile with the table's job), repair and run the cutover again");
      return;
    }
    try {
      sync.validateForeignKeys();
    } catch (SQLException e) {
      notReady(ExitCodes.FAILED, "every table reconciles clean, but validating the foreign keys"
          + " (added NOT VALID for the stream) failed: " + stream.redact(e.getMessage()));
      return;
    }
    List<String> sequences = stream.restartSequences();
    sync.summary.identityRestarts = sequences.size();
    sync.summary.status = "ready to switch";
    sync.summary.exitCode = ExitCodes.OK;
    System.out.println(verdict(stream, sequences, (System.nanoTime() - started) / 1e9));
  }

  /** Whether every table was loaded and constrained; otherwise says what to run. */
  private boolean migrated() throws Exception {
    Map<String, Entry> entries;
    try (Connection c = sync.target.connect(JdbcEndpoint.Role.TARGET)) {
      state.ensureTable(c);
      entries = state.load(c);
    }
    List<String> pending = new ArrayList<>();
    for (TableTask task : sync.plan.tables) {
      Entry entry = entries.get(task.sourceTable());
      if (entry == null || !entry.phase().reached(Phase.CONSTRAINED)) {
        pending.add(task.sourceTable());
      }
    }
    if (!pending.isEmpty()) {
      notReady(ExitCodes.INVALID, "tables " + pending + " are not migrated yet: run ferry"
          + " migrate --sync=true until it says it is streaming, then the cutover");
    }
    return pending.isEmpty();
  }

  private void result(TableTask task, Phase phase, String detail) {
    for (MigrationSummary.TableResult r : sync.summary.tables) {
      if (r.table.equals(task.sourceTable())) {
        r.phase = phase.name();
        r.detail = detail;
      }
    }
  }

  private void notReady(int exitCode, String why) {
    sync.summary.status = "not ready";
    sync.summary.exitCode = exitCode;
    sync.summary.error = why;
  }

  private String verdict(DatabaseSync stream, List<String> sequences, double seconds) {
    StringBuilder sb = new StringBuilder();
    sb.append(COMMAND).append(' ').append(sync.name).append(": READY TO SWITCH (")
        .append(String.format("%.1f", seconds)).append(" s) — every one of the ")
        .append(sync.plan.tables.size()).append(" tables at ").append(sync.target)
        .append(" holds exactly what the source ").append(sync.settings.source)
        .append(" holds\n");
    for (String s : sequences) {
      sb.append("  sequence: ").append(s).append('\n');
    }
    sb.append(stream.checklist("ferry sync --prepare and ferry sync per table with source and"
        + " target swapped (a job spec each)", "ferry cutover on each rollback spec"));
    return sb.toString();
  }
}
