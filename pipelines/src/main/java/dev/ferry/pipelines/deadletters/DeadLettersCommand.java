package dev.ferry.pipelines.deadletters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.job.JobMain;
import dev.ferry.pipelines.profile.Failures;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.progress.DeadLetterStore;
import dev.ferry.progress.ProgressStore;
import dev.ferry.progress.StateTables;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ferry deadletters list|retry|accept --spec=job.yaml}: what happens to the rows a
 * backfill could not write. {@code list} shows them (table, key, column, reason, when);
 * {@code retry} reads only their source rows again, after the source or the mapping was fixed,
 * and writes them the backfill's way ({@link DeadLetterRetry}); {@code accept} records that a
 * person decided they may stay out of the target, so the backfill's exit code and reconcile
 * count them as accepted instead of failing on them forever.
 *
 * <p>Exit codes ({@link ExitCodes}): 0; 1 failed; 2 invalid flags; 3 (retry) more open dead
 * letters remain than maxDeadLetters; 5 a database refused the login.
 */
public final class DeadLettersCommand {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLettersCommand.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Set<String> ACTIONS = Set.of("list", "retry", "accept");

  private DeadLettersCommand() {}

  public static void main(String[] args) {
    System.exit(run(args).exitCode);
  }

  /** {@code args}: the action, then flags. Prints the outcome; never throws. */
  public static DeadLetterReport run(String[] args) {
    String action = args.length == 0 ? "" : args[0];
    DeadLettersOptions options;
    try {
      if (!ACTIONS.contains(action)) {
        throw new IllegalArgumentException("name what to do first: ferry deadletters"
            + " list|retry|accept --spec=job.yaml (got '" + action + "')");
      }
      options = JobMain.options(Arrays.copyOfRange(args, 1, args.length),
          DeadLettersOptions.class);
    } catch (IllegalArgumentException e) {
      DeadLetterReport report = new DeadLetterReport();
      report.action = action;
      invalid(report, e.getMessage());
      LOG.error(report.toConsole());
      return report;
    }
    return run(action, options, Secrets.fromSystem());
  }

  public static DeadLetterReport run(String action, DeadLettersOptions options, Secrets secrets) {
    DeadLetterReport report = new DeadLetterReport();
    report.action = action;
    report.job = options.getJob();
    BackfillConfig config = null;
    try {
      config = BackfillConfig.from(options, secrets);
      report.job = config.job;
      // Adds the acceptance columns to a state table made by an older ferry.
      new ProgressStore(config.target, config.stateSchema).ensureTables();
      DeadLetterStore store = new DeadLetterStore(config.target, config.stateSchema);
      report.table = new StateTables(config.target.dialect(), config.stateSchema)
          .table(StateTables.DEAD_LETTER);
      List<String> keys = keys(options.getKey());
      switch (action) {
        case "list":
          report.deadLetters = listed(store.list(config.job));
          break;
        case "accept":
          if (keys == null && !options.getAll()) {
            throw new SpecException("flags", "key", "name the dead letters to accept"
                + " (--key={\"id\":42}, or a JSON array of keys) or pass --all");
          }
          report.accepted = (long) store.accept(config.job, options.getAll() ? null : keys,
              options.getNote());
          break;
        default:
          report.retry = new DeadLetterRetry(config, options, store).run(keys);
          break;
      }
      report.open = store.list(config.job).stream().filter(e -> !e.accepted()).count();
      report.maxDeadLetters = config.maxDeadLetters;
      boolean tooMany = action.equals("retry") && report.open > config.maxDeadLetters;
      report.status = tooMany ? "too-many-dead-letters" : "ok";
      report.exitCode = tooMany ? ExitCodes.TOO_MANY_DEAD_LETTERS : ExitCodes.OK;
    } catch (SpecException e) {
      invalid(report, e.getMessage());
    } catch (Exception e) {
      report.status = "failed";
      report.exitCode = ExitCodes.forFailure(e);
      report.error = config == null ? e.getMessage()
          : Failures.describe(e, config.source, config.target);
    }
    finish(report, options);
    return report;
  }

  /** The row keys of {@code --key}: a JSON object, or an array of them; null when absent. */
  static List<String> keys(String flag) {
    if (flag == null || flag.isBlank()) {
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(flag);
    } catch (JsonProcessingException e) {
      throw new SpecException("flags", "key", "not JSON: " + e.getOriginalMessage());
    }
    List<String> keys = new ArrayList<>();
    for (JsonNode k : node.isArray() ? node : List.of(node)) {
      if (!k.isObject() || k.isEmpty()) {
        throw new SpecException("flags", "key", "each key is a JSON object of key column to"
            + " value, as ferry deadletters list shows it, e.g. {\"id\":42}; got " + k);
      }
      // The compact form is the form the dead-letter table stores.
      keys.add(k.toString());
    }
    return keys;
  }

  private static List<DeadLetterReport.Listed> listed(List<DeadLetterStore.Entry> entries) {
    List<DeadLetterReport.Listed> out = new ArrayList<>();
    for (DeadLetterStore.Entry e : entries) {
      DeadLetterReport.Listed l = new DeadLetterReport.Listed();
      l.key = e.rowKey;
      l.stage = e.stage;
      l.column = e.column;
      l.error = e.error;
      l.when = e.createdAt == null ? null : e.createdAt.toInstant().toString();
      l.runId = e.runId;
      l.fingerprint = e.fingerprint;
      l.acceptedAt = e.acceptedAt == null ? null : e.acceptedAt.toInstant().toString();
      l.note = e.acceptedNote;
      out.add(l);
    }
    return out;
  }

  private static void invalid(DeadLetterReport report, String message) {
    report.status = "invalid";
    report.exitCode = ExitCodes.INVALID;
    report.error = message;
  }

  private static void finish(DeadLetterReport report, DeadLettersOptions options) {
    if (options.getJson() && report.deadLetters != null) {
      // Machine-readable output on stdout, one dead letter per line; nothing else there.
      for (DeadLetterReport.Listed l : report.deadLetters) {
        System.out.println(JSON.valueToTree(l).toString());
      }
    } else if (report.exitCode == ExitCodes.OK) {
      LOG.info(report.toConsole());
    } else {
      LOG.error(report.toConsole());
    }
    if (options.getReport() != null) {
      try {
        report.writeTo(options.getReport());
      } catch (IOException e) {
        LOG.error("cannot write report {}: {}", options.getReport(), e.getMessage());
      }
    }
  }
}
