package dev.ferry.record;

import java.io.Serializable;
import java.util.Objects;

/**
 * A row that could not be moved, with where and why: the stage ({@code read}, {@code map} or
 * {@code write}), the column at fault when known, and the source row as JSON.
 */
public final class DeadLetter implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The pipeline step that rejected the row. */
  public enum Stage {
    READ,
    MAP,
    WRITE
  }

  private final String key;
  private final Stage stage;
  private final String column;
  private final String error;
  private final String sourceRow;

  public DeadLetter(String key, Stage stage, String column, String error, String sourceRow) {
    this.key = Objects.requireNonNull(key, "key");
    this.stage = Objects.requireNonNull(stage, "stage");
    this.column = column;
    this.error = Objects.requireNonNull(error, "error");
    this.sourceRow = Objects.requireNonNull(sourceRow, "sourceRow");
  }

  /** The row's key as readable JSON, e.g. {@code {"id":42}}. */
  public String key() {
    return key;
  }

  public Stage stage() {
    return stage;
  }

  /** The column at fault, or null when the error is about the row as a whole. */
  public String column() {
    return column;
  }

  public String error() {
    return error;
  }

  public String sourceRow() {
    return sourceRow;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DeadLetter)) {
      return false;
    }
    DeadLetter d = (DeadLetter) o;
    return key.equals(d.key)
        && stage == d.stage
        && Objects.equals(column, d.column)
        && error.equals(d.error)
        && sourceRow.equals(d.sourceRow);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, stage, column, error, sourceRow);
  }

  @Override
  public String toString() {
    return stage + " " + key + (column == null ? "" : " column " + column) + ": " + error;
  }
}
