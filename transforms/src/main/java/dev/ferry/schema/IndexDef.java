package dev.ferry.schema;

import java.util.List;
import java.util.Objects;

/**
 * A primary key, unique or secondary index of a source table.
 *
 * @param name the index name ({@code PRIMARY} for the primary key)
 * @param unique whether the index enforces uniqueness
 * @param kind the access method
 * @param parts the indexed columns in key order (for a functional index, only its column parts)
 */
public record IndexDef(String name, boolean unique, IndexKind kind, List<IndexPart> parts) {
  public IndexDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    parts = List.copyOf(parts);
  }

  public List<String> columnNames() {
    return parts.stream().map(IndexPart::column).toList();
  }

  /** Whether any column is indexed only by its first characters. */
  public boolean hasPrefix() {
    return parts.stream().anyMatch(IndexPart::isPrefix);
  }
}
