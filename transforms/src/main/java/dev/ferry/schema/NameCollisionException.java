package dev.ferry.schema;

import java.util.List;

/**
 * Two source objects whose PostgreSQL names are the same after naming ({@code Order} and {@code
 * order} in lower case, {@code userId} and {@code user_id} in snake case): the DDL would fail or,
 * worse, put both into one object. Thrown before any statement runs; the message names both.
 */
public final class NameCollisionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> collisions;

  NameCollisionException(Naming naming, List<String> collisions) {
    super(collisions.size() + " PostgreSQL name(s) taken twice with naming " + naming.flag()
        + ": " + String.join("; ", collisions) + " (rename one of them in the source, leave"
        + " a table out, or choose another naming)");
    this.collisions = List.copyOf(collisions);
  }

  /** One line per collision, naming both source objects and the shared name. */
  public List<String> collisions() {
    return collisions;
  }
}
