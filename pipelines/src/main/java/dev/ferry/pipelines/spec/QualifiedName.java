package dev.ferry.pipelines.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code schema.table} into its parts. A part in double quotes is taken literally, dots
 * and all ({@code sales."order.lines"}), and doubled quotes inside stand for one quote.
 */
public final class QualifiedName {
  private QualifiedName() {}

  public static List<String> parse(String text) {
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("name contains a NUL character");
    }
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          current.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          current.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        wasQuoted = true;
      } else if (c == '.') {
        add(parts, current, wasQuoted, text);
        current.setLength(0);
        wasQuoted = false;
      } else {
        current.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unbalanced quote in name " + text);
    }
    add(parts, current, wasQuoted, text);
    return parts;
  }

  private static void add(List<String> parts, StringBuilder part, boolean quoted, String text) {
    String name = quoted ? part.toString() : part.toString().trim();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty part in name " + text);
    }
    parts.add(name);
  }
}
