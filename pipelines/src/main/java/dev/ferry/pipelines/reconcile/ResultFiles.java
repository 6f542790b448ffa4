package dev.ferry.pipelines.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.reconcile.KeyClass;
import dev.ferry.reconcile.KeyOutcome;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Carries a reconcile pipeline's results back to the launcher through files in a work
 * directory (local, or under {@code --tempLocation} on a cluster): one JSON object per line,
 * either a differing key or a named total. Files, not metrics, because a runner may count a
 * retried bundle's metrics twice.
 *
 * <p>Each bundle writes its lines to a file of its own, under a temporary name renamed when the
 * bundle finishes: no shuffle and no finalizing stages (a {@code TextIO} sink with one shard cost
 * a cold DirectRunner about 1.7 s of CPU for a handful of lines). A retried bundle may leave a
 * second file with the same lines; the launcher reads every line once, which is exact because
 * every line is unique by itself: a differing key is reported once, and each total once
 * (totals must be summed per name before they are written).
 */
final class ResultFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESULTS = "results";

  private final String directory;

  ResultFiles(String directory) {
    this.directory = directory.endsWith("/") ? directory : directory + "/";
  }

  /**
   * Adds the write of {@code result} ({@code Reconcile}'s outputs) to its pipeline; its facts
   * must hold one total per name.
   */
  void write(PCollectionTuple result, TupleTag<KeyOutcome> differences,
      TupleTag<KV<String, Long>> facts) {
    PCollection<String> outcomes = result.get(differences)
        .apply("DifferencesAsJson", ParDo.of(new OutcomeJsonFn()))
        .setCoder(StringUtf8Coder.of());
    PCollection<String> totals = result.get(facts)
        .apply("FactsAsJson", ParDo.of(new FactJsonFn()))
        .setCoder(StringUtf8Coder.of());
    PCollectionList.of(outcomes).and(totals)
        .apply("AllResults", Flatten.pCollections())
        .apply("WriteResults", ParDo.of(new WriteBundleFn(directory)));
  }

  /** Reads back what the pipeline wrote: its totals and its differing keys (unordered). */
  Results read() throws IOException {
    Results results = new Results();
    for (String line : lines(RESULTS)) {
      ObjectNode n = (ObjectNode) JSON.readTree(line);
      if (n.has("fact")) {
        String name = n.get("fact").asText();
        Long before = results.facts.put(name, n.get("value").asLong());
        if (before != null) {
          throw new IllegalStateException("the total " + name + " was written twice with"
              + " different values (" + before + ", " + n.get("value").asLong() + "): totals"
              + " must be summed per name before they are written");
        }
        continue;
      }
      List<String> columns = new ArrayList<>();
      n.get("columns").forEach(c -> columns.add(c.asText()));
      results.differences.add(new KeyOutcome(n.get("key").asText(), KeyClass.fromLabel(
          n.get("class").asText()), n.get("sourceRows").asInt(), n.get("targetRows").asInt(),
          columns, n.hasNonNull("rejectedColumn") ? n.get("rejectedColumn").asText() : null));
    }
    return results;
  }

  /** A run's results as read back. */
  static final class Results {
    final Map<String, Long> facts = new HashMap<>();
    final List<KeyOutcome> differences = new ArrayList<>();
  }

  /** Every distinct line of the files named {@code prefix*}: a retried bundle's copy once. */
  private Set<String> lines(String prefix) throws IOException {
    Set<String> lines = new LinkedHashSet<>();
    MatchResult match = FileSystems.match(directory + prefix + "*", EmptyMatchTreatment.ALLOW);
    for (MatchResult.Metadata file : match.metadata()) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(
          FileSystems.open(file.resourceId())), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (!line.isEmpty()) {
            lines.add(line);
          }
        }
      }
    }
    return lines;
  }

  /**
   * Writes the lines of each bundle to a temporary file and renames it into place when the
   * bundle finishes, so a file named {@code results-*} is always complete.
   */
  private static final class WriteBundleFn extends DoFn<String, Void> {
    private final String directory;
    private transient ResourceId temporary;
    private transient Writer out;

    WriteBundleFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element String line) throws IOException {
      if (out == null) {
        temporary = FileSystems.matchNewResource(directory + ".tmp-" + UUID.randomUUID(),
            false);
        out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(
            FileSystems.create(temporary, "text/plain")), StandardCharsets.UTF_8));
      }
      out.write(line);
      out.write('\n');
    }

    @FinishBundle
    public void finishBundle() throws IOException {
      if (out == null) {
        return;
      }
      out.close();
      out = null;
      FileSystems.rename(List.of(temporary), List.of(FileSystems.matchNewResource(directory
          + RESULTS + "-" + UUID.randomUUID() + ".jsonl", false)));
    }

    @Teardown
    public void teardown() throws IOException {
      if (out != null) {
        out.close();
      }
    }
  }

  private static final class OutcomeJsonFn extends DoFn<KeyOutcome, String> {
    @ProcessElement
    public void process(@Element KeyOutcome o, OutputReceiver<String> out) {
      ObjectNode n = JSON.createObjectNode();
      n.put("class", o.kind().label());
      n.put("key", o.key());
      n.put("sourceRows", o.sourceRows());
      n.put("targetRows", o.targetRows());
      ArrayNode columns = n.putArray("columns");
      o.columns().forEach(columns::add);
      if (o.rejectedColumn() != null) {
        n.put("rejectedColumn", o.rejectedColumn());
      }
      out.output(n.toString());
    }
  }

  private static final class FactJsonFn extends DoFn<KV<String, Long>, String> {
    @ProcessElement
    public void process(@Element KV<String, Long> fact, OutputReceiver<String> out) {
      ObjectNode n = JSON.createObjectNode();
      n.put("fact", fact.getKey());
      n.put("value", fact.getValue());
      out.output(n.toString());
    }
  }
}
