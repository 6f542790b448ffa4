package dev.ferry.schema;

import java.util.function.UnaryOperator;

/**
 * Rewrites a MySQL CHECK condition into PostgreSQL spelling: backquoted identifiers (columns)
 * become double-quoted ones, spelled by the migration's naming, string literals lose MySQL's backslash escapes and charset introducers
 * ({@code _utf8mb4'a'}), and double-quoted strings become single-quoted. Functions and operators
 * are kept as written: conditions that use MySQL-only functions need a manual rewrite, and
 * PostgreSQL says so when the constraint is added.
 */
final class CheckClauseTranslator {
  private CheckClauseTranslator() {}

  /** The condition with each backquoted column name spelled by {@code columnName}. */
  static String translate(String clause, UnaryOperator<String> columnName) {
    StringBuilder out = new StringBuilder(clause.length());
    int i = 0;
    while (i < clause.length()) {
      char c = clause.charAt(i);
      if (c == '`') {
        int end = closing(clause, i, '`');
        String name = clause.substring(i + 1, end).replace("``", "`");
        out.append(PostgresNames.quote(columnName.apply(name)));
        i = end + 1;
      } else if (c == '\'' || c == '"') {
        int end = closing(clause, i, c);
        out.append(DefaultTranslator.quote(unescape(clause.substring(i + 1, end), c)));
        i = end + 1;
      } else if (c == '_' && introducerEnd(clause, i) > 0 && !partOfWord(clause, i)) {
        i = introducerEnd(clause, i); // _utf8mb4'a' is just 'a'
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The index of the quote closing the one at {@code start}; doubled quotes stay inside. */
  private static int closing(String text, int start, char quote) {
    int end = MySqlQuoting.closing(text, start, quote, quote != '`');
    if (end < 0) {
      throw new IllegalArgumentException("unterminated " + quote + " in CHECK clause: " + text);
    }
    return end;
  }

  private static String unescape(String body, char quote) {
    StringBuilder out = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if ((c == '\\' || c == quote) && i + 1 < body.length()) {
        out.append(body.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The index of the quote after a charset introducer such as {@code _utf8mb4}, else -1. */
  private static int introducerEnd(String text, int start) {
    int i = start + 1;
    while (i < text.length() && Character.isLetterOrDigit(text.charAt(i))) {
      i++;
    }
    return i > start + 1 && i < text.length() && text.charAt(i) == '\'' ? i : -1;
  }

  private static boolean partOfWord(String text, int index) {
    return index > 0
        && (Character.isLetterOrDigit(text.charAt(index - 1)) || text.charAt(index - 1) == '_');
  }
}
