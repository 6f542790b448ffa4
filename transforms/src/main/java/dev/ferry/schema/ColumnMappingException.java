package dev.ferry.schema;

/**
 * A source column the type-mapping rules cannot translate, for example a type no rule matches. The
 * message names the table, the column and its type.
 */
public final class ColumnMappingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String table;
  private final String column;

  ColumnMappingException(String table, String column, String message) {
    super("table '" + table + "', column '" + column + "': " + message);
    this.table = table;
    this.column = column;
  }

  public String table() {
    return table;
  }

  public String column() {
    return column;
  }
}
