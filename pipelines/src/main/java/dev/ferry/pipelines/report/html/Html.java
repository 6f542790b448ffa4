package dev.ferry.pipelines.report.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Escaping for report pages: every value a report shows came from a database or a spec, so none
 * is trusted as markup or script.
 */
public final class Html {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Html() {}

  /** {@code text} for an HTML element's content or a quoted attribute value; "" for null. */
  public static String text(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * {@code value} as JSON that is safe inside a {@code <script>} element: {@code <}, {@code >}
   * and {@code &} are written as {@code \\u003c}-style escapes, so no value can close the script
   * ({@code </script>}) or open a comment, and U+2028/U+2029 (line ends to older JavaScript)
   * are escaped too. These characters only occur inside JSON strings, where the escapes mean
   * the same characters.
   */
  public static String json(Object value) {
    String raw;
    try {
      raw = JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write report data as JSON: " + e.getMessage(),
          e);
    }
    StringBuilder sb = new StringBuilder(raw.length() + 16);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      switch (c) {
        case '<' -> sb.append("\\u003c");
        case '>' -> sb.append("\\u003e");
        case '&' -> sb.append("\\u0026");
        case '\u2028' -> sb.append("\\u2028");
        case '\u2029' -> sb.append("\\u2029");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
