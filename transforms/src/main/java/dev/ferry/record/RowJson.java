package dev.ferry.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Base64;

/** Renders records as JSON objects for dead letters and reports. */
public final class RowJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RowJson() {}

  public static String render(Layout layout, Object[] values) {
    ObjectNode node = NODES.objectNode();
    for (int i = 0; i < values.length && i < layout.size(); i++) {
      node.set(layout.column(i).name(), toNode(values[i]));
    }
    return node.toString();
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
