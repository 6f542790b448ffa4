package dev.ferry.pipelines.backfill;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.map.MappingSpec;
import dev.ferry.pipelines.spec.QualifiedName;
import dev.ferry.pipelines.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's mapping: the {@link MappingSpec} rules, and, in a file {@code ferry migrate} wrote, a
 * header saying how that migration read and wrote the table:
 *
 * <pre>
 * job: "migrate-shop-tags"
 * source: {table: "tags", query: "SELECT `id`, CONCAT('{', `tags`, '}') AS `tags` FROM `tags`",
 *          key: ["id"], zeroDates: "null"}
 * target: {table: "\"app\".\"tags\"", stateSchema: "\"ferry\""}
 * passthrough: true
 * columns: []
 * </pre>
 *
 * <p>The header holds data, not comments, so that {@code ferry reconcile --mappingFile=<file>} (or
 * a backfill) with nothing but the connections compares the table exactly as the migration did: a
 * SET read through its conversion query, not as MySQL's text. Flags and the job spec come first;
 * the header fills only what they leave open (see {@link BackfillConfig}).
 */
public final class MappingFile {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final List<String> HEADER_FIELDS = List.of("job", "source", "target");

  /** The header's fields, all optional. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static final class Header {
    @JsonProperty public String job;
    @JsonProperty public Source source = new Source();
    @JsonProperty public Target target = new Target();
  }

  /** How the table was read. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static final class Source {
    /** The table, a name as the table flags take it. */
    @JsonProperty public String table;
    /** The query that reads {@link #table} with conversions, when it needs one. */
    @JsonProperty public String query;
    @JsonProperty public List<String> key = new ArrayList<>();
    @JsonProperty public String zeroDates;

    /**
     * Whether a job reads this table: it names no table of its own (and no query), or names
     * this one.
     */
    boolean reads(String origin, String named) {
      if (table == null) {
        return false;
      }
      try {
        return named == null || QualifiedName.parse(named).equals(QualifiedName.parse(table));
      } catch (IllegalArgumentException e) {
        throw new SpecException(origin, named == null ? "mapping.source.table" : "source.table",
            e.getMessage());
      }
    }
  }

  /** Where the table was written. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static final class Target {
    @JsonProperty public String table;
    @JsonProperty public String stateSchema;
  }

  public final MappingSpec rules;
  public final Header header;

  private MappingFile(MappingSpec rules, Header header) {
    this.rules = rules;
    this.header = header;
  }

  /** Reads a mapping file; the header is optional. */
  public static MappingFile read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return of(YAML.readTree(in));
    }
  }

  private static MappingFile of(JsonNode tree) throws IOException {
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return new MappingFile(MappingSpec.identity(), new Header());
    }
    ObjectNode header = YAML.createObjectNode();
    if (tree.isObject()) {
      ObjectNode rules = ((ObjectNode) tree).deepCopy();
      for (String field : HEADER_FIELDS) {
        if (rules.has(field)) {
          header.set(field, rules.remove(field));
        }
      }
      tree = rules;
    }
    MappingSpec spec = YAML.treeToValue(tree, MappingSpec.class);
    return new MappingFile(spec == null ? MappingSpec.identity() : spec,
        YAML.treeToValue(header, Header.class));
  }

  /**
   * The mapping a job names: {@code fileFlag}, else the spec's {@code mapping} ({@code {file:
   * path}}, resolved beside the spec, or inline rules, which have no header), else the identity.
   *
   * @throws SpecException naming the field when the file is missing or invalid
   */
  static MappingFile resolve(String origin, Path specDir, String fileFlag, JsonNode inline) {
    String file = fileFlag;
    JsonNode node = inline;
    if (file == null && node != null && node.isObject() && node.has("file")) {
      if (node.size() != 1) {
        throw new SpecException(origin, "mapping", "give either file or inline rules, not both");
      }
      file = node.get("file").asText();
    }
    try {
      if (file != null) {
        Path path = specDir.resolve(file);
        if (!Files.isRegularFile(path)) {
          path = Path.of(file);
        }
        if (!Files.isRegularFile(path)) {
          throw new SpecException(origin, "mapping.file", "no such file: " + file);
        }
        return read(path);
      }
      if (node == null || node.isNull()) {
        return new MappingFile(MappingSpec.identity(), new Header());
      }
      return new MappingFile(YAML.treeToValue(node, MappingSpec.class), new Header());
    } catch (UnrecognizedPropertyException e) {
      throw new SpecException(origin, "mapping." + SpecSides.path(e.getPath()),
          "unknown field '" + e.getPropertyName() + "' (known: " + e.getKnownPropertyIds() + ")");
    } catch (IOException e) {
      throw new SpecException(origin, "mapping", e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
