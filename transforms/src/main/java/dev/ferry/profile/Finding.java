package dev.ferry.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.List;

/**
 * One finding of a profile: what, in which column (null for the key as a whole), how many, and
 * example keys with a short reason each. {@code rows} equals {@code count} except for duplicate
 * keys, where {@code count} is the number of key values and {@code rows} the rows carrying them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Finding implements Serializable {
  private static final long serialVersionUID = 1L;

  public final FindingKind kind;
  public final String column;
  public final long count;
  public final long rows;
  public final List<Example> examples;

  public Finding(FindingKind kind, String column, long count, long rows, List<Example> examples) {
    this.kind = kind;
    this.column = column;
    this.count = count;
    this.rows = rows;
    this.examples = List.copyOf(examples);
  }

  /** A row that shows the finding: its key as JSON, e.g. {@code {"id":42}}, and why. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Example implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String key;
    public final String detail;

    public Example(String key, String detail) {
      this.key = key;
      this.detail = detail;
    }

    @Override
    public String toString() {
      return detail == null ? key : key + " (" + detail + ")";
    }
  }

  @Override
  public String toString() {
    return kind + (column == null ? "" : " " + column) + ": " + count + " " + examples;
  }
}
