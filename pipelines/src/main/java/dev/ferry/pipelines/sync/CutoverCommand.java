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
 * {@code --catchUpTimeoutSeconds}.
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
    String job = setup.config.job;
    System.out.println("ferry cutover " + job + ": catching up with the source");
    SyncRun run = new SyncRun(setup, new SyncStatus(job, options.getStatusFile()), true,
        Math.max(1, options.getStatusIntervalSeconds()));
    SyncRun.Outcome outcome;
    try {
      List<String> problems = setup.stream.problems();
      if (!problems.isEmpty()) {
        System.err.println("ferry cutover: the source is not ready for change capture:\n  - "
            + String.join("\n  - ", problems));
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
      System.err.println("ferry cutover: " + setup.config.redact(String.valueOf(e.getMessage())));
      return ExitCodes.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.FAILED;
    }
    switch (outcome) {
      case CAUGHT_UP:
        break;
      case DDL:
        System.err.println("ferry cutover: " + run.message());
        return ExitCodes.DDL_STOPPED;
      case FAILED:
        System.err.println("ferry cutover: " + run.message());
        return ExitCodes.FAILED;
      default:
        System.err.println("ferry cutover: not caught up after "
            + options.getCatchUpTimeoutSeconds() + " s: are the application's writes to the"
            + " source really stopped? Run ferry cutover again once they are.");
        return ExitCodes.NOT_CAUGHT_UP;
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
    sb.append("ferry cutover ").append(setup.config.job).append(": READY TO SWITCH (")
        .append(String.format("%.1f", seconds)).append(" s) — ")
        .append(setup.prepared.targetName()).append(" at ").append(target)
        .append(" holds exactly ").append(setup.prepared.sourceName()).append(" at ")
        .append(source).append('\n');
    for (String s : sequences) {
      sb.append("  sequence: ").append(s).append('\n');
    }
    sb.append("checklist:\n")
        .append("  1. point the application's reads and writes at ").append(target).append('\n')
        .append("  2. keep the source as it is: it is the fallback\n")
        .append("  3. start the rollback stream, new -> old: ferry sync --prepare and ferry sync")
        .append(" with source and target swapped (a spec of its own)\n")
        .append("  4. to roll back: stop the application, ferry cutover on the rollback spec,")
        .append(" point the application back at ").append(source).append('\n')
        .append("  5. when the new system has proven itself: drop the replication slot or")
        .append(" binlog retention kept for ferry, and the ferry_* state tables");
    return sb.toString();
  }
}
