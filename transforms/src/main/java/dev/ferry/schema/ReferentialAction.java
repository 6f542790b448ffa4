package dev.ferry.schema;

import java.util.Locale;

/** What a foreign key does when the referenced row is deleted or its key updated. */
public enum ReferentialAction {
  CASCADE("CASCADE"),
  SET_NULL("SET NULL"),
  SET_DEFAULT("SET DEFAULT"),
  RESTRICT("RESTRICT"),
  NO_ACTION("NO ACTION");

  private final String sql;

  ReferentialAction(String sql) {
    this.sql = sql;
  }

  /** The SQL spelling, the same in MySQL and PostgreSQL. */
  public String sql() {
    return sql;
  }

  /** Parses UPDATE_RULE / DELETE_RULE of information_schema.REFERENTIAL_CONSTRAINTS. */
  static ReferentialAction fromMySql(String rule) {
    for (ReferentialAction action : values()) {
      if (action.sql.equals(rule.trim().toUpperCase(Locale.ROOT))) {
        return action;
      }
    }
    throw new IllegalArgumentException("unknown foreign-key rule: " + rule);
  }
}
