package dev.ferry.pipelines.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.reconcile.KeyClass;
import dev.ferry.reconcile.KeyOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
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
 * retried bundle's metrics twice; one sink, because each file sink costs the runner a shuffle.
 */
final class ResultFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESULTS = "results";

  private final String directory;

  ResultFiles(String directory) {
    this.directory = directory.endsWith("/") ? directory : directory + "/";
  }

  /** Adds the write of {@code result} ({@code Reconcile}'s outputs) to its pipeline. */
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
        // One shard: a file per bundle would mean a file per differing key on some runners.
        .apply("WriteResults", TextIO.write().to(directory + RESULTS).withSuffix(".jsonl")
            .withNumShards(1));
  }

  /** Reads back what the pipeline wrote: its totals and its differing keys (unordered). */
  Results read() throws IOException {
    Results results = new Results();
    for (String line : lines(RESULTS)) {
      ObjectNode n = (ObjectNode) JSON.readTree(line);
      if (n.has("fact")) {
        results.facts.merge(n.get("fact").asText(), n.get("value").asLong(), Long::sum);
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

  private List<String> lines(String prefix) throws IOException {
    List<String> lines = new ArrayList<>();
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
