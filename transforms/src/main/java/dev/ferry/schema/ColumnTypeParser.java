package dev.ferry.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the parenthesised part of a MySQL COLUMN_TYPE: the arguments of {@code decimal(10,2)
 * unsigned} or the labels of {@code enum('new','it''s')}.
 */
final class ColumnTypeParser {
  private ColumnTypeParser() {}

  /**
   * The comma-separated arguments, {@code ["10", "2"]} for {@code decimal(10,2)}; empty if none.
   */
  static List<String> arguments(String columnType) {
    int open = columnType.indexOf('(');
    int close = columnType.indexOf(')', open + 1);
    if (open < 0 || close < 0) {
      return List.of();
    }
    List<String> arguments = new ArrayList<>();
    for (String part : columnType.substring(open + 1, close).split(",")) {
      arguments.add(part.trim());
    }
    return List.copyOf(arguments);
  }

  /**
   * The quoted labels of an ENUM or SET type in declaration order. Labels may contain commas and
   * parentheses; a quote inside a label is written twice, as information_schema shows it.
   */
  static List<String> labels(String columnType) {
    int open = columnType.indexOf('(');
    if (open < 0) {
      return List.of();
    }
    List<String> labels = new ArrayList<>();
    StringBuilder label = null;
    for (int i = open + 1; i < columnType.length(); i++) {
      char c = columnType.charAt(i);
      if (label == null) {
        if (c == '\'') {
          label = new StringBuilder();
        } else if (c == ')') {
          break;
        }
      } else if (c == '\'') {
        if (i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
          label.append('\'');
          i++;
        } else {
          labels.add(label.toString());
          label = null;
        }
      } else {
        label.append(c);
      }
    }
    return List.copyOf(labels);
  }
}
