package dev.ferry.schema;

import java.util.Objects;

/**
 * A source identifier whose PostgreSQL name differs, for the application team's SQL.
 *
 * @param kind what is named: {@code table}, {@code column}, {@code index} or {@code constraint}
 * @param source the source name; a column, index or constraint with its table in front ({@code
 *     InvoiceLine.UnitPrice})
 * @param target the PostgreSQL name, unquoted
 */
public record Rename(String kind, String source, String target) {
  public Rename {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
  }

  @Override
  public String toString() {
    return kind + " " + source + " -> " + target;
  }
}
