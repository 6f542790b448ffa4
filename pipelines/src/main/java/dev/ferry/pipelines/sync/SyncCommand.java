package dev.ferry.pipelines.sync;

import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.job.JobMain;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ferry sync}: keeps the target table in step with the source table's changes until
 * stopped. {@code ferry sync --prepare} takes the stream position before the backfill starts.
 * Exit codes ({@link ExitCodes}): 0 stopped or caught up, 1 failed, 2 invalid spec or flags, 5
 * a login refused, 6 the source is not set up for change capture (the message says what to
 * change), 7 a DDL change stopped it.
 */
public final class SyncCommand {
  private static final Logger LOG = LoggerFactory.getLogger(SyncCommand.class);

  private SyncCommand() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String[] args) {
    return JobMain.run(args, SyncOptions.class, SyncCommand::run, message -> {
      System.err.println("ferry sync: " + message);
      return ExitCodes.INVALID;
    });
  }

  public static int run(SyncOptions options, Secrets secrets) {
    SyncSetup setup;
    try {
      BackfillConfig config = BackfillConfig.from(options, secrets);
      setup = SyncSetup.of(config, options.getServerId());
    } catch (SpecException | IllegalArgumentException e) {
      System.err.println("ferry sync: " + e.getMessage());
      return ExitCodes.INVALID;
    } catch (SQLException e) {
      System.err.println("ferry sync: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    if (options.getPrepare()) {
      try {
        if (!ready(setup, "ferry sync")) {
          return ExitCodes.SOURCE_NOT_READY;
        }
        String position = prepare(setup);
        System.out.println("ferry sync --prepare: job " + setup.job + " will apply every"
            + " change from " + position + "; start the backfill now, then ferry sync");
        return ExitCodes.OK;
      } catch (SQLException | RuntimeException e) {
        System.err.println("ferry sync: " + setup.config.redact(String.valueOf(e.getMessage())));
        return ExitCodes.forFailure(e);
      }
    }
    return stream(setup, options, "ferry sync");
  }

  /**
   * Whether the source is set up for change capture; prints what to change when it is not.
   */
  static boolean ready(SyncSetup setup, String command) throws SQLException {
    List<String> problems = setup.stream.problems();
    if (!problems.isEmpty()) {
      System.err.println(command + ": the source " + setup.config.sourceName() + " is not ready"
          + " for change capture:\n  - " + String.join("\n  - ", problems));
    }
    return problems.isEmpty();
  }

  /** Records the source's current position as where the sync starts; returns it as text. */
  static String prepare(SyncSetup setup) throws SQLException {
    SyncState state = new SyncState(setup.config.target, setup.config.stateSchema);
    state.ensureTable();
    Map<String, Map<String, Object>> position = setup.stream.currentPosition();
    state.prepare(setup.job, position.get("partition"), position.get("offset"));
    LOG.info("sync {}: position {} recorded; run the backfill now, then ferry sync", setup.job,
        position.get("offset"));
    return String.valueOf(position.get("offset"));
  }

  /**
   * Streams from the stored position until stopped (a signal), caught up (with {@code
   * --untilCaughtUp}), a DDL change or a failure; returns the exit code.
   */
  static int stream(SyncSetup setup, SyncStreamOptions options, String command) {
    try {
      if (!ready(setup, command)) {
        return ExitCodes.SOURCE_NOT_READY;
      }
      SyncRun run = new SyncRun(setup, new SyncStatus(setup.job, options.getStatusFile()),
          options.getUntilCaughtUp(), Math.max(1, options.getStatusIntervalSeconds()));
      run.start();
      Thread hook = new Thread(run::stop, "ferry-sync-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      SyncRun.Outcome outcome = run.await();
      if (run.ended()) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
          // the JVM is already shutting down
        }
      }
      switch (outcome) {
        case FAILED:
          System.err.println(command + ": " + run.message());
          return ExitCodes.FAILED;
        case DDL:
          System.err.println(command + ": " + run.message());
          return ExitCodes.DDL_STOPPED;
        default:
          return ExitCodes.OK;
      }
    } catch (SQLException | RuntimeException e) {
      System.err.println(command + ": " + setup.config.redact(String.valueOf(e.getMessage())));
      return ExitCodes.forFailure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.FAILED;
    }
  }
}
