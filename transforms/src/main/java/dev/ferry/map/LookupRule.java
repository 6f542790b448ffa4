package dev.ferry.map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One lookup of a mapping file: after the column rules, fill target columns from a lookup table
 * (or collection) whose key equals some mapped columns of the row. Carried out by {@link
 * dev.ferry.enrich.EnrichChunks}.
 *
 * <pre>
 * lookups:
 *   - table: email_lookup        # or collection: email_lookup (MongoDB)
 *     database: source           # where the lookup lives: source (default) or target
 *     on: [email]                # mapped column(s) of the row ...
 *     key: [email]               # ... equal to these lookup columns (default: the same names)
 *     columns: [phone]           # target columns filled; {name: mobile, from: phone} renames
 *     required: false            # no match: NULL (false) or dead-letter the row (true)
 *     onMultiple: deadLetter     # matches that disagree: deadLetter or fail
 *     strategy: auto             # auto, sideInput or join
 *     sideInputMaxRows: 500000   # auto: a side input up to this many lookup rows, else a join
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class LookupRule implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default of {@link #sideInputMaxRows}: about 100 MB of heap for typical lookup rows. */
  public static final long DEFAULT_SIDE_INPUT_MAX_ROWS = 500_000;

  /** A JDBC lookup table, optionally schema-qualified. */
  @JsonProperty public String table;

  /** A MongoDB lookup collection (instead of {@link #table}). */
  @JsonProperty public String collection;

  /** {@code source} (default) or {@code target}: the database the lookup is read from. */
  @JsonProperty public String database = "source";

  /** Columns of the mapped row whose values are looked up. */
  @JsonProperty public List<String> on = new ArrayList<>();

  /** Lookup columns matched with {@link #on}, position by position; default: the same names. */
  @JsonProperty public List<String> key = new ArrayList<>();

  /** The target columns to fill and the lookup columns they come from. */
  @JsonProperty public List<Output> columns = new ArrayList<>();

  /** Whether a row without a match is dead-lettered (true) or gets NULL (false, default). */
  @JsonProperty public boolean required;

  /** {@code deadLetter} (default) or {@code fail}: what several disagreeing matches do. */
  @JsonProperty public String onMultiple = "deadLetter";

  /** {@code auto} (default), {@code sideInput} or {@code join}. */
  @JsonProperty public String strategy = "auto";

  @JsonProperty public long sideInputMaxRows = DEFAULT_SIDE_INPUT_MAX_ROWS;

  /** One filled column: {@code phone}, or {@code {name: mobile, from: phone}}. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static final class Output implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The target column. */
    @JsonProperty public String name;

    /** The lookup column; defaults to {@link #name}. */
    @JsonProperty public String from;

    public Output() {}

    @JsonCreator
    public static Output named(String name) {
      Output o = new Output();
      o.name = name;
      return o;
    }

    public Output from(String lookupColumn) {
      this.from = lookupColumn;
      return this;
    }

    /** The lookup column this output is read from. */
    public String source() {
      return from != null ? from : name;
    }
  }

  public LookupRule() {}

  public static LookupRule table(String name) {
    LookupRule rule = new LookupRule();
    rule.table = name;
    return rule;
  }

  public LookupRule on(String... mappedColumns) {
    this.on = List.of(mappedColumns);
    return this;
  }

  public LookupRule key(String... lookupColumns) {
    this.key = List.of(lookupColumns);
    return this;
  }

  public LookupRule fill(Output... outputs) {
    this.columns = List.of(outputs);
    return this;
  }

  public LookupRule required(boolean value) {
    this.required = value;
    return this;
  }

  public LookupRule onMultiple(String value) {
    this.onMultiple = value;
    return this;
  }

  public LookupRule strategy(String value) {
    this.strategy = value;
    return this;
  }

  /** The lookup key columns: {@link #key}, or the names of {@link #on}. */
  public List<String> keyColumns() {
    return key.isEmpty() ? on : key;
  }

  /** The lookup's name for messages: its table or collection. */
  public String displayName() {
    return table != null ? table : collection;
  }
}
