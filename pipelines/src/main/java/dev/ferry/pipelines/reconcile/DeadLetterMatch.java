package dev.ferry.pipelines.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.profile.Failures;
import dev.ferry.progress.DeadLetterStore;
import dev.ferry.reconcile.KeyClass;
import dev.ferry.reconcile.KeyOutcome;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Explains the keys the target is missing by the job's dead letters: a missing key whose dead
 * letter a person accepted ({@code ferry deadletters accept}) is no difference (reported as
 * {@code accepted}); one with an open dead letter is reported as dead-lettered, so the console
 * says how many of the missing rows the backfill rejected and where to look.
 *
 * <p>Keys are matched by their values in key order: a dead letter names the source key, the
 * comparison the target's (the same values when the mapping copies the key).
 */
final class DeadLetterMatch {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Key values as a JSON array, to whether the dead letter is accepted. */
  private final Map<String, Boolean> letters = new HashMap<>();

  private DeadLetterMatch() {}

  /** The dead letters of the job; none when the backfill never created its state tables. */
  static DeadLetterMatch read(BackfillConfig config) throws SQLException {
    DeadLetterMatch match = new DeadLetterMatch();
    List<DeadLetterStore.Entry> entries;
    try {
      entries = new DeadLetterStore(config.target, config.stateSchema).list(config.job);
    } catch (SQLException e) {
      // No state tables yet (no backfill ran), or a dead-letter table of an older ferry without
      // the acceptance columns (the next backfill or deadletters command adds them): nothing
      // to match; reconcile creates nothing in the target.
      if (Failures.isMissingTable(e) || "42703".equals(e.getSQLState())
          || "42S22".equals(e.getSQLState()) || e.getErrorCode() == 1054) {
        return match;
      }
      throw e;
    }
    for (DeadLetterStore.Entry e : entries) {
      try {
        match.letters.merge(values(JSON.readTree(e.rowKey)), e.accepted(), Boolean::logicalOr);
      } catch (IOException unreadable) {
        // A key that is not JSON matches no compared key; it stays listed by ferry deadletters.
      }
    }
    return match;
  }

  private static String values(JsonNode key) {
    ArrayNode values = JSON.createArrayNode();
    key.forEach(values::add);
    return values.toString();
  }

  /**
   * {@code findings} without the missing keys whose dead letters were accepted, with the
   * report's counts of accepted, dead-lettered and rejected missing keys set.
   */
  Findings apply(Findings findings, ReconcileReport report) {
    if (letters.isEmpty() && findings.all().stream().noneMatch(o -> o.rejectedColumn() != null)) {
      return findings;
    }
    List<KeyOutcome> kept = new ArrayList<>();
    long acceptedKeys = 0;
    long deadLettered = 0;
    long rejected = 0;
    for (KeyOutcome o : findings.all()) {
      Boolean isAccepted = o.kind() == KeyClass.MISSING
          ? letters.get(values(findings.readableKey(o.key()))) : null;
      if (Boolean.TRUE.equals(isAccepted)) {
        acceptedKeys++;
        continue;
      }
      kept.add(o);
      if (o.kind() == KeyClass.MISSING && o.rejectedColumn() != null) {
        rejected++;
      } else if (isAccepted != null) {
        deadLettered++;
      }
    }
    report.accepted = acceptedKeys == 0 ? null : acceptedKeys;
    report.missingRejectedByMapping = rejected == 0 ? null : rejected;
    report.missingDeadLettered = deadLettered == 0 ? null : deadLettered;
    return acceptedKeys == 0 ? findings : findings.with(kept);
  }
}
