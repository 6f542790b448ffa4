package dev.ferry.schema;

import java.util.Set;

/**
 * PostgreSQL's reserved key words (categories R and T of {@code pg_get_keywords()}, PostgreSQL
 * 14): a table or column with one of these names works only when every query quotes it.
 */
final class ReservedWords {
  private static final Set<String> WORDS = Set.of(
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
      "authorization", "binary", "both", "case", "cast", "check", "collate", "collation",
      "column", "concurrently", "constraint", "create", "cross", "current_catalog",
      "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
      "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except",
      "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having",
      "ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral",
      "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not",
      "notnull", "null", "offset", "on", "only", "or", "order", "outer", "overlaps", "placing",
      "primary", "references", "returning", "right", "select", "session_user", "similar", "some",
      "symmetric", "table", "tablesample", "then", "to", "trailing", "true", "union", "unique",
      "user", "using", "variadic", "verbose", "when", "where", "window", "with");

  private ReservedWords() {}

  static boolean contains(String name) {
    return WORDS.contains(name);
  }

  /** The warning for a PostgreSQL name that is a reserved word. */
  static String warning(String name) {
    return "the PostgreSQL name '"
        + name
        + "' is a reserved word: ferry quotes it in the DDL, and every query must quote it too"
        + " (\""
        + name
        + "\")";
  }

  static Set<String> all() {
    return WORDS;
  }
}
