package dev.ferry.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Base64;

/**
 * Renders records as JSON objects for dead letters and reports.
 *
 * <p>{@link #render} keeps a dead letter small enough to store and to hold in memory: a text value
 * longer than {@value #MAX_VALUE_CHARS} characters (a binary value longer than {@value
 * #MAX_VALUE_BYTES} bytes) is cut to that prefix and followed by a note with its full length. The
 * whole value is still in the source, which ferry never changes.
 */
public final class RowJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Longest text value rendered whole in a dead letter. */
  public static final int MAX_VALUE_CHARS = 65_536;
  /** Longest binary value rendered whole in a dead letter. */
  public static final int MAX_VALUE_BYTES = 49_152;

  private RowJson() {}

  public static String render(Layout layout, Object[] values) {
    ObjectNode node = NODES.objectNode();
    for (int i = 0; i < values.length && i < layout.size(); i++) {
      node.set(layout.column(i).name(), toBoundedNode(values[i]));
    }
    return node.toString();
  }

  private static JsonNode toBoundedNode(Object v) {
    if (v instanceof String && ((String) v).length() > MAX_VALUE_CHARS) {
      String s = (String) v;
      int end = MAX_VALUE_CHARS;
      if (Character.isHighSurrogate(s.charAt(end - 1))) {
        end--;
      }
      return NODES.textNode(s.substring(0, end) + "... [cut by ferry: " + s.length()
          + " characters in all]");
    }
    if (v instanceof byte[] && ((byte[]) v).length > MAX_VALUE_BYTES) {
      byte[] b = (byte[]) v;
      return NODES.textNode("base64:" + Base64.getEncoder().encodeToString(
          java.util.Arrays.copyOf(b, MAX_VALUE_BYTES)) + "... [cut by ferry: " + b.length
          + " bytes in all]");
    }
    return toNode(v);
  }

  /** Numbers and booleans stay JSON numbers and booleans; bytes become base64; the rest text. */
  public static JsonNode toNode(Object v) {
    if (v == null) {
      return NODES.nullNode();
    } else if (v instanceof Long) {
      return NODES.numberNode((Long) v);
    } else if (v instanceof BigDecimal) {
      return NODES.numberNode((BigDecimal) v);
    } else if (v instanceof Boolean) {
      return NODES.booleanNode((Boolean) v);
    } else if (v instanceof Double && Double.isFinite((Double) v)) {
      return NODES.numberNode((Double) v);
    } else if (v instanceof Float && Float.isFinite((Float) v)) {
      return NODES.numberNode((Float) v);
    } else if (v instanceof byte[]) {
      return NODES.textNode("base64:" + Base64.getEncoder().encodeToString((byte[]) v));
    }
    return NODES.textNode(v.toString());
  }
}
