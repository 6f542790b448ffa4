package dev.ferry.schema;

import java.util.Objects;

/**
 * A CHECK constraint of a source table.
 *
 * @param name the constraint name
 * @param clause the condition in MySQL syntax, as information_schema.CHECK_CONSTRAINTS shows it
 * @param enforced false for MySQL's NOT ENFORCED checks, which the existing rows may violate
 */
public record CheckDef(String name, String clause, boolean enforced) {
  public CheckDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(clause, "clause");
  }
}
