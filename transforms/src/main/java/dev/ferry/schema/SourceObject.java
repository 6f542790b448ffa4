package dev.ferry.schema;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A view, trigger or stored routine of a MySQL / MariaDB schema: what a table copy does not carry.
 * Views can often be translated ({@link MySqlViewSql}); triggers and routines are written in
 * MySQL's procedural SQL and are listed for the user to port.
 *
 * @param kind what the object is
 * @param name its name in the source
 * @param table the table a trigger fires on; empty for other kinds
 * @param definition a view's SELECT as the server stores it, or the {@code CREATE} statement of a
 *     trigger or routine as {@code SHOW CREATE} prints it
 */
public record SourceObject(Kind kind, String name, Optional<String> table, String definition) {
  /** The kinds of objects a table copy leaves behind. */
  public enum Kind {
    VIEW,
    TRIGGER,
    PROCEDURE,
    FUNCTION;

    /** Lower case, for messages: {@code view}, {@code trigger}, .... */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public SourceObject {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(definition, "definition");
  }

  /** {@code view 'v_orders'}, {@code trigger 'stamp' on table 'orders'}. */
  public String describe() {
    return kind.label() + " '" + name + "'" + table.map(t -> " on table '" + t + "'").orElse("");
  }
}
