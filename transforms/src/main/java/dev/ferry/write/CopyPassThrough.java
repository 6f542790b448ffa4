package dev.ferry.write;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.record.Column;
import dev.ferry.record.CopyTextRows;
import dev.ferry.record.Layout;
import java.util.List;
import java.util.Set;

/**
 * Decides whether rows can travel from a PostgreSQL source to a PostgreSQL target as COPY text,
 * never parsed into Java values ({@code ReadRanges.withCopyText()}): the text one server prints
 * must be read back by the other as the same value, and nothing on the way may change it.
 *
 * <p>That holds when both sides are PostgreSQL, the target's columns are the source's, in the
 * same order, with the same type, length, precision and scale, and the source key is made of
 * integers, text or UUIDs ({@code CopyTextRows.keyFromText}: range bounds and resume points are
 * then written into the COPY statement as numbers or escaped string literals). Styles
 * that depend on a server's settings are pinned on the reading session; {@code money} prints
 * by the server's locale, so it is not passed through. The mapping, lookups and catch-up
 * filters are the caller's to rule out: a mapping with rules needs the values themselves.
 */
public final class CopyPassThrough {
  private static final Set<String> LOCALE_DEPENDENT = Set.of("money");

  private CopyPassThrough() {}

  /** Why rows cannot pass as COPY text, or null when they can. */
  public static String refusal(JdbcEndpoint source, Layout sourceLayout,
      List<String> sourceKeyColumns, JdbcEndpoint target, TargetTable table) {
    if (source.dialect() != Dialect.POSTGRESQL || target.dialect() != Dialect.POSTGRESQL) {
      return "source and target are not both PostgreSQL";
    }
    Layout t = table.columns();
    if (t.size() != sourceLayout.size()) {
      return "the target has " + t.size() + " columns, the source " + sourceLayout.size();
    }
    for (int i = 0; i < t.size(); i++) {
      Column s = sourceLayout.column(i);
      Column c = t.column(i);
      if (!s.name().equals(c.name()) || !s.typeName().equals(c.typeName())
          || s.size() != c.size() || s.scale() != c.scale()) {
        return "column " + c.name() + " differs between source and target";
      }
      if (LOCALE_DEPENDENT.contains(s.typeName())) {
        return "column " + c.name() + " is of type " + s.typeName();
      }
    }
    for (String key : sourceKeyColumns) {
      Column k = sourceLayout.column(sourceLayout.indexOf(key));
      if (!CopyTextRows.keyFromText(k)) {
        return "key column " + key + " is " + k.typeName() + ", not an integer, text or UUID";
      }
    }
    return null;
  }
}
