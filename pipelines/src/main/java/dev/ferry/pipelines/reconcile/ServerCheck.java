package dev.ferry.pipelines.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.reconcile.BucketComparison;
import dev.ferry.reconcile.KeyClass;
import dev.ferry.reconcile.KeyOutcome;
import dev.ferry.reconcile.ReconcileFacts;
import dev.ferry.reconcile.ServerRowCheck;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last word on every bucket whose in-database checksums differ: the servers' own
 * comparison ({@link ServerRowCheck}), made after the row-level comparison. A key the servers
 * see differ is reported even when ferry's reading of the rows found them equal (a read path
 * that loses information must not certify its own copy); a bucket whose checksums differ while
 * no row does is reported as unexplained. Either way reconcile does not say equal.
 */
final class ServerCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCheck.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ReconcileSetup setup;
  private final ReconcileSettings settings;

  ServerCheck(ReconcileSetup setup, ReconcileSettings settings) {
    this.setup = setup;
    this.settings = settings;
  }

  /**
   * The bucket checksums of both sides for the check after a full comparison (the fast path
   * computed its own before the join).
   */
  BucketComparison checksums() throws SQLException {
    return BucketComparison.compute(setup.sourceSide, setup.targetSide, setup.pushdown,
        setup.checkBucketing, setup.ranges, setup.sourceConnections, setup.targetConnections,
        settings.checksumConnections);
  }

  /**
   * Adds to {@code results} the keys that differ by the servers' texts in the differing buckets
   * of {@code compared} but that the row-level comparison called matches, and describes the
   * check in the report.
   */
  void apply(BucketComparison compared, ResultFiles.Results results, ReconcileReport report,
      String job) throws SQLException {
    ReconcileReport.ServerCheck check = new ReconcileReport.ServerCheck();
    report.serverCheck = check;
    check.bucketsDiffering = compared.bucketsDiffering();
    if (compared.differing().isEmpty()) {
      return;
    }
    Elapsed took = Elapsed.start();
    ServerRowCheck.Result seen = ServerRowCheck.of(setup.sourceSide, setup.targetSide,
        setup.canonicalizer, setup.pushdown, setup.checkBucketing)
        .run(compared.differing(), setup.sourceConnections, setup.targetConnections);
    Set<String> known = new HashSet<>();
    for (KeyOutcome o : results.differences) {
      known.add(o.key());
    }
    Findings keys = new Findings(List.of(), setup.canonicalizer);
    List<ServerRowCheck.Difference> unseen = new ArrayList<>();
    Set<String> unseenKeys = new HashSet<>();
    for (ServerRowCheck.Difference d : seen.differences()) {
      if (known.add(d.key())) {
        unseen.add(d);
        unseenKeys.add(d.key());
        results.differences.add(d.asOutcome());
        // The row-level comparison counted the key as a match.
        results.facts.merge(ReconcileFacts.keys(KeyClass.MATCH), -1L,
            (a, b) -> Math.max(0, a + b));
      }
    }
    check.keysDiffering = (long) seen.differences().size();
    check.keysOnlyTheServersSee = (long) unseen.size();
    check.unexplainedRanges = (long) seen.unexplained().size();
    // Keys ferry's reading missed first: they are the ones the rest of the report cannot show.
    List<ServerRowCheck.Difference> shown = new ArrayList<>(unseen);
    seen.differences().stream().filter(d -> !unseenKeys.contains(d.key())).forEach(shown::add);
    for (ServerRowCheck.Difference d : shown.subList(0, Math.min(shown.size(),
        Math.max(settings.examples, 1)))) {
      check.examples.add(example(d, keys, unseenKeys.contains(d.key())));
    }
    LOG.info("{}: the servers compared the rows of {} differing buckets themselves in {}: {}"
        + " keys differ", job, compared.bucketsDiffering(), took, seen.differences().size());
    if (!unseen.isEmpty()) {
      LOG.warn("{}: {} keys differ by the servers' own canonical texts although ferry's reading"
          + " of the rows found them equal (ferry's read path loses what differs): first {}",
          job, unseen.size(), check.examples.get(0));
    }
    if (!seen.unexplained().isEmpty()) {
      LOG.warn("{}: {} key ranges have differing checksums but no differing row now (did a"
          + " table change during the comparison?): not proven equal; first {}", job,
          seen.unexplained().size(), seen.unexplained().get(0));
    }
  }

  private JsonNode example(ServerRowCheck.Difference d, Findings keys, boolean onlyServers) {
    ObjectNode n = JSON.createObjectNode();
    n.put("class", d.kind().label());
    n.put("seenByFerrysReading", !onlyServers);
    n.set("key", keys.readableKey(d.key()));
    n.set("columns", JSON.valueToTree(d.columns()));
    n.set("source", texts(d.sourceTexts()));
    n.set("target", texts(d.targetTexts()));
    return n;
  }

  private ObjectNode texts(Map<String, String> texts) {
    ObjectNode n = JSON.createObjectNode();
    texts.forEach((column, text) -> n.put(column,
        settings.sensitiveColumns.contains(column) ? "***" : visible(text)));
    return n;
  }

  /** Control and other invisible characters as \\uXXXX, so a reader sees what differs. */
  static String visible(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      int type = Character.getType(cp);
      if (Character.isISOControl(cp) || type == Character.FORMAT || type == Character.UNASSIGNED
          || type == Character.PRIVATE_USE) {
        out.append(String.format("\\u%04X", cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.toString();
  }
}
