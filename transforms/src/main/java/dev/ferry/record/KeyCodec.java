package dev.ferry.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

/**
 * Text form of key tuples, for progress state and dead letters: a JSON array of
 * {@code [kind, text]} pairs that decodes back to the same Java values, so a resumed run binds
 * exactly the key it stopped at.
 */
public final class KeyCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KeyCodec() {}

  public static String encode(Object[] key) {
    ArrayNode array = JSON.createArrayNode();
    for (Object v : key) {
      ArrayNode pair = array.addArray();
      if (v == null) {
        pair.add("null").addNull();
      } else if (v instanceof Long) {
        pair.add("long").add(v.toString());
      } else if (v instanceof BigDecimal) {
        pair.add("decimal").add(((BigDecimal) v).toPlainString());
      } else if (v instanceof String) {
        pair.add("string").add((String) v);
      } else if (v instanceof UUID) {
        pair.add("uuid").add(v.toString());
      } else if (v instanceof LocalDate) {
        pair.add("date").add(v.toString());
      } else if (v instanceof LocalDateTime) {
        pair.add("timestamp").add(v.toString());
      } else if (v instanceof OffsetDateTime) {
        pair.add("timestamptz").add(v.toString());
      } else if (v instanceof LocalTime) {
        pair.add("time").add(v.toString());
      } else if (v instanceof Boolean) {
        pair.add("boolean").add(v.toString());
      } else if (v instanceof Double) {
        pair.add("double").add(v.toString());
      } else if (v instanceof Float) {
        pair.add("float").add(v.toString());
      } else if (v instanceof byte[]) {
        pair.add("bytes").add(Base64.getEncoder().encodeToString((byte[]) v));
      } else {
        throw new IllegalArgumentException("unsupported key type " + v.getClass().getName());
      }
    }
    return array.toString();
  }

  public static Object[] decode(String text) {
    try {
      JsonNode array = JSON.readTree(text);
      Object[] key = new Object[array.size()];
      for (int i = 0; i < key.length; i++) {
        JsonNode pair = array.get(i);
        key[i] = decodeValue(pair.get(0).asText(), pair.get(1));
      }
      return key;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("corrupt key text: " + text, e);
    }
  }

  private static Object decodeValue(String kind, JsonNode node) {
    if (node.isNull()) {
      return null;
    }
    String s = node.asText();
    switch (kind) {
      case "long":
        return Long.parseLong(s);
      case "decimal":
        return new BigDecimal(s);
      case "string":
        return s;
      case "uuid":
        return UUID.fromString(s);
      case "date":
        return LocalDate.parse(s);
      case "timestamp":
        return LocalDateTime.parse(s);
      case "timestamptz":
        return OffsetDateTime.parse(s);
      case "time":
        return LocalTime.parse(s);
      case "boolean":
        return Boolean.parseBoolean(s);
      case "double":
        return Double.parseDouble(s);
      case "float":
        return Float.parseFloat(s);
      case "bytes":
        return Base64.getDecoder().decode(s);
      default:
        throw new IllegalArgumentException("unknown key kind " + kind);
    }
  }

  /** A readable rendering such as {@code {"id":42,"tenant":"eu"}} for reports and errors. */
  public static String readable(java.util.List<String> names, Object[] key) {
    com.fasterxml.jackson.databind.node.ObjectNode node = JSON.createObjectNode();
    for (int i = 0; i < key.length; i++) {
      node.set(names.get(i), RowJson.toNode(key[i]));
    }
    return node.toString();
  }
}
