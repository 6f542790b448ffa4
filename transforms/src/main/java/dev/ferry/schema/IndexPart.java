package dev.ferry.schema;

import java.util.Objects;

/**
 * One column of an index.
 *
 * @param column the column name
 * @param prefixLength how many leading characters (bytes for binary columns) MySQL indexes, or 0
 *     when the whole value is indexed
 * @param descending whether the column is indexed in descending order
 */
public record IndexPart(String column, int prefixLength, boolean descending) {
  public IndexPart {
    Objects.requireNonNull(column, "column");
    if (prefixLength < 0) {
      throw new IllegalArgumentException("negative prefix length for column " + column);
    }
  }

  public boolean isPrefix() {
    return prefixLength > 0;
  }
}
