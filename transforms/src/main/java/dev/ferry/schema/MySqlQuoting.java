package dev.ferry.schema;

/** Where a quoted MySQL literal or identifier ends, for the translators that copy SQL text. */
final class MySqlQuoting {
  private MySqlQuoting() {}

  /**
   * The index of the quote closing the one at {@code start}, or -1 when it is never closed. A
   * doubled quote escapes it, and so does a backslash where {@code backslashEscapes}.
   */
  static int closing(String text, int start, char quote, boolean backslashEscapes) {
    int i = start + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && backslashEscapes) {
        i += 2;
      } else if (c == quote && i + 1 < text.length() && text.charAt(i + 1) == quote) {
        i += 2;
      } else if (c == quote) {
        return i;
      } else {
        i++;
      }
    }
    return -1;
  }
}
