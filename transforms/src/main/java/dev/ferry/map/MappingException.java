package dev.ferry.map;

/** A row that a mapping cannot turn into a target row; names the column at fault. */
public final class MappingException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String column;

  public MappingException(String column, String message) {
    super(message);
    this.column = column;
  }

  /** The target column whose rule failed, or null for a custom transform's own error. */
  public String column() {
    return column;
  }
}
