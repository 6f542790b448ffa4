package dev.ferry.pipelines.sync;

import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.job.JobMain;
import dev.ferry.pipelines.reconcile.ReconcileOptions;
import dev.ferry.pipelines.reconcile.ReconcilePipeline;
import dev.ferry.pipelines.reconcile.ReconcileReport;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ferry cutover}, once the application's writes to the source are stopped (and {@code
 * ferry sync} is stopped): applies the changes still in the stream until the target holds
 * everything the source committed, reconciles on the fast path, restarts the target's sequences
 * past the source's ids and prints the verdict with what to do next. Exit codes ({@link
 * ExitCodes}): 0 ready to switch, 1 failed, 2 invalid, 4 reconcile found differences, 5 a login
 * refused, 6 source not ready, 7 a DDL change stopped the catch-up, 8 not caught up within
 * {@code --catchUpTimeoutSeconds}. For a whole database migrated with {@code ferry migrate
 * --sync}, {@code ferry migrate --cutover} does the same for every table ({@link DatabaseSync}).
 */
public final class CutoverCommand {
  /** Flags of {@link SyncOptions} itself, which the reconcile job does not take. */
  private static final Set<String> SYNC_FLAGS = Set.of("--prepare", "--statusFile",
      "--statusIntervalSeconds", "--untilCaughtUp", "--serverId", "--catchUpTimeoutSeconds");

  private CutoverCommand() {}

  public static int run(String[] args) {
    return run(args, Secrets.fromSystem());
  }

  public static int run(String[] args, Secrets secrets) {
    long started = System.nanoTime();
    SyncOptions options;
    SyncSetup setup;
    try {
      options = JobMain.options(args, SyncOptions.class);
      setup = SyncSetup.of(BackfillConfig.from(options, secrets), options.getServerId());
    } catch (SpecException | IllegalArgumentException e) {
      System.err.println("ferry cutover: " + e.getMessage());
      return ExitCodes.INVALID;
    } catch (SQLException e) {
      System.err.println("ferry cutover: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    String job = setup.job;
    int caughtUp = catchUp(setup, options, "ferry cutover");
    if (caughtUp != ExitCodes.OK) {
      return caughtUp;
    }
    System.out.println("ferry cutover " + job + ": caught up; reconciling (fast path)");
    ReconcileReport report;
    try {
      report = ReconcilePipeline.run(JobMain.options(reconcileArgs(args),
          ReconcileOptions.class), secrets);
    } catch (IllegalArgumentException e) {
      System.err.println("ferry cutover: reconcile flags: " + e.getMessage());
      return ExitCodes.INVALID;
    }
    if (report.exitCode != ExitCodes.OK) {
      System.err.println("ferry cutover " + job + ": NOT READY — reconcile says " + report.status
          + (report.error == null ? "" : ": " + report.error) + "; do not switch. Keep ferry"
          + " sync running, look at the reconcile report, repair (ferry reconcile --repair)"
          + " and run ferry cutover again.");
      return report.exitCode == ExitCodes.DIFFERENCES ? ExitCodes.DIFFERENCES
          : ExitCodes.FAILED;
    }
    List<String> sequences;
    try {
      sequences = Sequences.restart(setup);
    } catch (SQLException e) {
      System.err.println("ferry cutover: restarting the target's sequences failed: "
          + setup.config.redact(e.getMessage()));
      return ExitCodes.FAILED;
    }
    System.out.println(verdict(setup, sequences, (System.nanoTime() - started) / 1e9));
    return ExitCodes.OK;
  }

  /**
   * Applies the stream until the target holds every change the source had committed when it
   * started, within {@code --catchUpTimeoutSeconds}; returns {@link ExitCodes#OK} when it does,
   * else the exit code, with the reason printed.
   */
  static int catchUp(SyncSetup setup, SyncStreamOptions options, String command) {
    System.out.println(command + " " + setup.job + ": catching up with the source");
    SyncRun run = new SyncRun(setup, new SyncStatus(setup.job, options.getStatusFile()), true,
        Math.max(1, options.getStatusIntervalSeconds()));
    SyncRun.Outcome outcome;
    try {
      if (!SyncCommand.ready(setup, command)) {
        return ExitCodes.SOURCE_NOT_READY;
      }
      run.start();
      Thread timeout = new Thread(() -> {
        try {
          Thread.sleep(options.getCatchUpTimeoutSeconds() * 1000L);
          run.stop();
        } catch (InterruptedException ignored) {
          // caught up first
        }
      }, "ferry-cutover-timeout");
      timeout.setDaemon(true);
      timeout.start();
      outcome = run.await();
      timeout.interrupt();
    } catch (SQLException | RuntimeException e) {
      System.err.println(command + ": " + setup.config.redact(String.valueOf(e.getMessage())));
      return ExitCodes.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.FAILED;
    }
    switch (outcome) {
      case CAUGHT_UP:
        return ExitCodes.OK;
      case DDL:
        System.err.println(command + ": " + run.message());
        return ExitCodes.DDL_STOPPED;
      case FAILED:
        System.err.println(command + ": " + run.message());
        return ExitCodes.FAILED;
      default:
        System.err.println(command + ": not caught up after "
            + options.getCatchUpTimeoutSeconds() + " s: are the application's writes to the"
            + " source really stopped? Run " + command + " again once they are.");
        return ExitCodes.NOT_CAUGHT_UP;
    }
  }

  private static String[] reconcileArgs(String[] args) {
    List<String> out = new ArrayList<>();
    boolean fastPath = false;
    for (String a : args) {
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (!SYNC_FLAGS.contains(name)) {
        out.add(a);
        fastPath |= name.equals("--fastPath");
      }
    }
    if (!fastPath) {
      out.add("--fastPath=true");
    }
    return out.toArray(new String[0]);
  }

  private static String verdict(SyncSetup setup, List<String> sequences, double seconds) {
    String source = setup.config.sourceName();
    String target = setup.config.targetName();
    StringBuilder sb = new StringBuilder();
    sb.append("ferry cutover ").append(setup.job).append(": READY TO SWITCH (")
        .append(String.format("%.1f", seconds)).append(" s) — ")
        .append(setup.targetNames()).append(" at ").append(target)
        .append(" holds exactly ").append(setup.tables.get(0).prepared.sourceName())
        .append(" at ")
        .append(source).append('\n');
    for (String s : sequences) {
      sb.append("  sequence: ").append(s).append('\n');
    }
    sb.append(checklist(target, source, "ferry sync --prepare and ferry sync with source and"
        + " target swapped (a spec of its own)", "ferry cutover on the rollback spec"));
    return sb.toString();
  }

  /** What to do after a ready verdict: switch, keep the fallback, how to roll back. */
  static String checklist(String target, String source, String rollbackStream,
      String rollbackCutover) {
    return "checklist:\n"
        + "  1. point the application's reads and writes at " + target + "\n"
        + "  2. keep the source as it is: it is the fallback\n"
        + "  3. start the rollback stream, new -> old: " + rollbackStream + "\n"
        + "  4. to roll back: stop the application, " + rollbackCutover + ", point the"
        + " application back at " + source + "\n"
        + "  5. when the new system has proven itself: drop the replication slot or binlog"
        + " retention kept for ferry, and the ferry_* state tables";
  }
}
