package dev.ferry.map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.record.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A declarative mapping from source rows to target rows, as kept in a YAML file:
 *
 * <pre>
 * passthrough: true          # copy source columns that no rule mentions (default)
 * drop: [legacy_flags]       # ... except these
 * columns:
 *   - name: customer_id      # rename
 *     from: id
 *   - name: email
 *     ops: [trim, lower]
 *   - name: full_name
 *     concat: [first_name, last_name]
 *     separator: " "
 *   - name: created_at       # zone-less Berlin wall time to an instant
 *     fromZone: Europe/Berlin
 *   - name: bio
 *     repairEncoding: true
 *   - name: origin
 *     constant: legacy-crm
 * custom: com.example.NormalizePhone   # optional RowTransform
 * lookups:                   # after the rules: fill columns from a lookup table, see LookupRule
 *   - {table: email_lookup, on: [email], columns: [phone]}
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class MappingSpec implements Serializable {
  private static final long serialVersionUID = 1L;
  /** One mapper for every fingerprint: a new one introspects the classes all over again. */
  private static final ObjectMapper FINGERPRINT_JSON = new ObjectMapper();
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @JsonProperty public boolean passthrough = true;
  @JsonProperty public List<String> drop = new ArrayList<>();
  @JsonProperty public List<ColumnRule> columns = new ArrayList<>();
  @JsonProperty public String custom;
  // Left out of the fingerprint when empty, so mappings without lookups keep their saved progress.
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonProperty public List<LookupRule> lookups = new ArrayList<>();

  /** The identity mapping: every source column copied under its own name. */
  public static MappingSpec identity() {
    return new MappingSpec();
  }

  public static MappingSpec fromYaml(InputStream in) throws IOException {
    MappingSpec spec = YAML.readValue(in, MappingSpec.class);
    return spec == null ? identity() : spec;
  }

  public MappingSpec withColumn(ColumnRule rule) {
    columns.add(rule);
    return this;
  }

  public MappingSpec dropping(String... names) {
    drop.addAll(List.of(names));
    return this;
  }

  public MappingSpec withLookup(LookupRule lookup) {
    lookups.add(lookup);
    return this;
  }

  public MappingSpec withCustom(Class<? extends RowTransform> transform) {
    custom = transform.getName();
    return this;
  }

  /** A stable hash of the mapping's content; part of a job's fingerprint. */
  public String fingerprint() {
    try {
      return Sha256.hex(FINGERPRINT_JSON.writeValueAsBytes(this));
    } catch (IOException e) {
      throw new IllegalStateException("cannot fingerprint mapping", e);
    }
  }
}
