package dev.ferry.map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * How one target column gets its value, as written in a mapping file. Steps run in this order:
 * take the value ({@code from}, {@code constant} or {@code concat}), apply {@code ops}, repair
 * encoding, {@code cast}, convert from {@code fromZone}, and fall back to {@code default} when
 * the result is NULL.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class ColumnRule implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The target column. */
  @JsonProperty public String name;

  /** The source column; defaults to {@link #name}. */
  @JsonProperty public String from;

  /** A fixed value for every row (text, number or boolean). */
  @JsonProperty public Object constant;

  /** Source columns joined with {@link #separator}; NULL parts are skipped. */
  @JsonProperty public List<String> concat;

  @JsonProperty public String separator = "";

  /** Text operations in order: trim, lower, upper. */
  @JsonProperty public List<String> ops = new ArrayList<>();

  /** Undo Latin-1/UTF-8 confusion ("CafÃ©" to "Café"). */
  @JsonProperty public boolean repairEncoding;

  /** Convert to a type: text, bigint, numeric, double, real, boolean, date, time, timestamp, …. */
  @JsonProperty public String cast;

  /**
   * The zone a zone-less source timestamp was recorded in (e.g. Europe/Berlin); the value becomes
   * an instant (UTC). Local times that do not exist (a DST gap) follow {@link #gap}.
   */
  @JsonProperty public String fromZone;

  /** For local times that occur twice (DST overlap): earlier (default), later or reject. */
  @JsonProperty public String ambiguous = "earlier";

  /**
   * For local times that do not exist (a DST gap, e.g. 02:30 on the night clocks jump from 02:00
   * to 03:00): reject (default: the row is dead-lettered), shift (forward by the length of the
   * gap, to 03:30, as java.time's {@code ZonedDateTime.ofLocal} does) or null. Absent from the
   * mapping's fingerprint while unset, so jobs planned before it existed resume.
   */
  @JsonProperty
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public String gap;

  /** Value used when the result is NULL. */
  @JsonProperty("default")
  public Object defaultValue;

  public ColumnRule() {}

  public static ColumnRule named(String name) {
    ColumnRule rule = new ColumnRule();
    rule.name = name;
    return rule;
  }

  public ColumnRule from(String source) {
    this.from = source;
    return this;
  }

  public ColumnRule ops(String... names) {
    this.ops = List.of(names);
    return this;
  }

  public ColumnRule cast(String type) {
    this.cast = type;
    return this;
  }

  public ColumnRule fromZone(String zone) {
    this.fromZone = zone;
    return this;
  }

  public ColumnRule repairEncoding() {
    this.repairEncoding = true;
    return this;
  }

  public ColumnRule constant(Object value) {
    this.constant = value;
    return this;
  }

  public ColumnRule concat(String separator, String... columns) {
    this.concat = List.of(columns);
    this.separator = separator;
    return this;
  }

  public ColumnRule defaultValue(Object value) {
    this.defaultValue = value;
    return this;
  }

  /** The source column this rule reads, when it reads exactly one. */
  String sourceColumn() {
    if (constant != null || concat != null) {
      return null;
    }
    return from != null ? from : name;
  }
}
