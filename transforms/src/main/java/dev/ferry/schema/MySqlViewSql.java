package dev.ferry.schema;

import dev.ferry.jdbc.Dialect;
import java.util.function.UnaryOperator;

/**
 * A MySQL / MariaDB view's SELECT rewritten for PostgreSQL, token by token: every backquoted
 * identifier becomes a double-quoted PostgreSQL name (as the migration spelled the table or
 * column), the source schema's qualifier is dropped (the view is created beside the tables), character set
 * introducers such as {@code _utf8mb4'x'} go, and a string literal holding a backslash becomes an
 * {@code E'...'} literal, since MySQL reads backslash escapes where PostgreSQL's standard strings
 * do not.
 *
 * <p>Nothing else is translated: a view is portable when the rest of its SQL (joins, expressions,
 * standard functions) means the same in PostgreSQL. Whether it is, PostgreSQL decides when the
 * view is created; a view it refuses is reported as not migrated with its reason. The server
 * stores views with every name backquoted and qualified, which is what makes the identifier
 * rewrite reliable.
 *
 * <pre>{@code
 * String select = MySqlViewSql.translate(definition, "shop", name -> naming.apply(name));
 * }</pre>
 */
public final class MySqlViewSql {
  private MySqlViewSql() {}

  /**
   * The PostgreSQL text of {@code select}.
   *
   * @param select the view's definition as information_schema.VIEWS holds it
   * @param schema the source schema (database) whose qualifier is dropped
   * @param names the PostgreSQL spelling of a source identifier (table, column or alias)
   */
  public static String translate(String select, String schema, UnaryOperator<String> names) {
    StringBuilder out = new StringBuilder(select.length() + 16);
    int i = 0;
    int n = select.length();
    while (i < n) {
      char c = select.charAt(i);
      if (c == '`') {
        int end = closing(select, i, '`');
        String identifier = select.substring(i + 1, end).replace("``", "`");
        i = end + 1;
        if (identifier.equals(schema) && i < n && select.charAt(i) == '.') {
          i++;
          continue;
        }
        out.append(Dialect.POSTGRESQL.quote(names.apply(identifier)));
      } else if (c == '\'') {
        int end = closing(select, i, '\'');
        dropIntroducer(out);
        String literal = select.substring(i, end + 1);
        if (literal.indexOf('\\') >= 0) {
          out.append('E');
        }
        out.append(literal);
        i = end + 1;
      } else if (c == ';') {
        // The server stores one SELECT; the target runs the text as one statement only.
        throw new IllegalArgumentException("a ';' outside a literal in the view definition");
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString().strip();
  }

  /**
   * The index of the quote closing the one at {@code start}; a doubled quote (and, in a string,
   * a backslash) escapes it.
   */
  private static int closing(String text, int start, char quote) {
    int end = MySqlQuoting.closing(text, start, quote, quote == '\'');
    if (end < 0) {
      throw new IllegalArgumentException("unterminated " + quote + " in the view definition");
    }
    return end;
  }

  /** Removes a character set introducer ({@code _utf8mb4}) just written before a literal. */
  private static void dropIntroducer(StringBuilder out) {
    int j = out.length();
    while (j > 0 && (Character.isLetterOrDigit(out.charAt(j - 1)) || out.charAt(j - 1) == '_')) {
      j--;
    }
    if (j < out.length() && out.charAt(j) == '_') {
      out.setLength(j);
    }
  }
}
