package dev.ferry.pipelines.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.pipelines.spec.ReportFiles;
import dev.ferry.reconcile.KeyClass;
import dev.ferry.reconcile.KeyLookup;
import dev.ferry.reconcile.KeyOutcome;
import dev.ferry.record.RowJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The differing keys of a run in a fixed order (class, then canonical key), so every listing
 * made from them — counts, the first examples, the complete file — is the same on every run over
 * the same data.
 */
final class Findings {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MASK = "***";

  private final List<KeyOutcome> sorted;
  private final RowCanonicalizer canonicalizer;

  Findings(List<KeyOutcome> outcomes, RowCanonicalizer canonicalizer) {
    this.sorted = new ArrayList<>(outcomes);
    this.sorted.sort(Comparator.comparing(KeyOutcome::kind).thenComparing(KeyOutcome::key));
    this.canonicalizer = canonicalizer;
  }

  /** The same listing of other outcomes (a subset of these), in the same order. */
  Findings with(List<KeyOutcome> outcomes) {
    return new Findings(outcomes, canonicalizer);
  }

  List<KeyOutcome> all() {
    return sorted;
  }

  Map<KeyClass, Long> counts() {
    Map<KeyClass, Long> counts = new EnumMap<>(KeyClass.class);
    for (KeyOutcome o : sorted) {
      counts.merge(o.kind(), 1L, Long::sum);
    }
    return counts;
  }

  /** Mismatched keys per differing column, by column name. */
  Map<String, Long> mismatchesByColumn() {
    Map<String, Long> perColumn = new TreeMap<>();
    for (KeyOutcome o : sorted) {
      for (String c : o.columns()) {
        perColumn.merge(c, 1L, Long::sum);
      }
    }
    return perColumn;
  }

  /** A canonical key as a JSON object of key column to value; raw text when undecodable. */
  JsonNode readableKey(String key) {
    if (key.startsWith("!")) {
      // A source row whose key the rejecting mapping would have computed: its source key.
      try {
        return JSON.readTree(key.substring(1));
      } catch (IOException e) {
        return JSON.getNodeFactory().textNode(key.substring(1));
      }
    }
    Object[] values = canonicalizer.decodeKey(key);
    ObjectNode node = JSON.createObjectNode();
    List<String> names = canonicalizer.keyNames();
    for (int i = 0; i < values.length; i++) {
      node.set(names.get(i), RowJson.toNode(values[i]));
    }
    return node;
  }

  /** Writes every differing key, one JSON object per line, in the fixed order. */
  void writeDifferences(String location) throws IOException {
    try (BufferedWriter w = ReportFiles.open(location)) {
      for (KeyOutcome o : sorted) {
        w.write(describe(o).toString());
        w.newLine();
      }
    }
  }

  private ObjectNode describe(KeyOutcome o) {
    ObjectNode n = JSON.createObjectNode();
    n.put("class", o.kind().label());
    n.set("key", readableKey(o.key()));
    n.put("sourceRows", o.sourceRows());
    n.put("targetRows", o.targetRows());
    if (!o.columns().isEmpty()) {
      ArrayNode columns = n.putArray("columns");
      o.columns().forEach(columns::add);
    }
    if (o.rejectedColumn() != null) {
      n.put("rejectedByMappingAt", o.rejectedColumn());
    }
    return n;
  }

  /**
   * The first {@code perClass} keys of each class with both sides' rows as they compare (source
   * rows after mapping), read over the setup's connections; values of {@code sensitive} columns
   * masked.
   */
  Map<String, List<JsonNode>> examples(int perClass, ReconcileSetup setup,
      Set<String> sensitive) throws Exception {
    Map<KeyClass, List<KeyOutcome>> firsts = new EnumMap<>(KeyClass.class);
    for (KeyOutcome o : sorted) {
      List<KeyOutcome> list = firsts.computeIfAbsent(o.kind(), k -> new ArrayList<>());
      if (list.size() < perClass) {
        list.add(o);
      }
    }
    List<String> keys = new ArrayList<>();
    firsts.values().forEach(list -> list.stream().map(KeyOutcome::key)
        .filter(k -> !k.startsWith("!")).forEach(keys::add));
    Map<String, List<KeyLookup.Found>> sourceRows = setup.sourceSide.hasLookupKey()
        ? new KeyLookup(setup.sourceSide, setup.sourceConnections).compared(canonicalizer, keys)
        : Map.of();
    Map<String, List<KeyLookup.Found>> targetRows = new KeyLookup(setup.targetSide,
        setup.targetConnections).compared(canonicalizer, keys);
    Map<String, List<JsonNode>> examples = new LinkedHashMap<>();
    for (Map.Entry<KeyClass, List<KeyOutcome>> e : firsts.entrySet()) {
      List<JsonNode> nodes = new ArrayList<>();
      for (KeyOutcome o : e.getValue()) {
        ObjectNode n = describe(o);
        if (setup.sourceSide.hasLookupKey()) {
          n.set("source", rows(sourceRows.get(o.key()), sensitive));
        }
        n.set("target", rows(targetRows.get(o.key()), sensitive));
        nodes.add(n);
      }
      examples.put(e.getKey().label(), nodes);
    }
    return examples;
  }

  private ArrayNode rows(List<KeyLookup.Found> found, Set<String> sensitive) {
    ArrayNode rows = JSON.createArrayNode();
    if (found == null) {
      return rows;
    }
    List<String> names = canonicalizer.columnNames();
    for (KeyLookup.Found f : found) {
      ObjectNode row = rows.addObject();
      if (f.values() == null) {
        row.put("rejectedByMapping", f.rejection());
        continue;
      }
      for (int i = 0; i < names.size(); i++) {
        Object v = f.values()[i];
        row.set(names.get(i), sensitive.contains(names.get(i)) && v != null
            ? JSON.getNodeFactory().textNode(MASK) : RowJson.toNode(v));
      }
    }
    return rows;
  }
}
