package dev.ferry.digest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.record.ConversionException;
import dev.ferry.record.Conversions;
import dev.ferry.record.ValueKind;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * The canonical form of one column's values: equal data has equal text on every engine, unequal
 * data never does. A value is first converted to the column's kind (as the backfill's writer
 * converts it), then written as a one-letter kind tag, its length in UTF-8 bytes, a colon and
 * its text, or as a single {@code -} for NULL. The length prefix keeps column boundaries
 * unambiguous (('ab','c') and ('a','bc') differ) and the tag keeps NULL, '' and 'NULL' apart.
 *
 * <p>Texts per kind: numbers by value without trailing zeros (2.50 is "2.5"), floats by their
 * exact binary value ({@link ExactFloat}: -0 is not 0), booleans "t"/"f",
 * dates ISO, times and timestamps ISO truncated to the stated fractional digits, instants as UTC
 * wall time, bytes lower-case hex, UUIDs lower-case, JSON re-serialized with sorted keys, no
 * whitespace and numbers by value. A value that cannot be converted keeps its raw text under the
 * tag {@code x}, which no converted value carries, so it never equals anything converted.
 */
final class CanonicalColumn implements Serializable {
  private static final long serialVersionUID = 1L;

  static final char NULL = '-';
  static final char UNCONVERTIBLE = 'x';
  static final char QUANTIZED = 'q';

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  // Beyond 2^53 quanta a double can no longer tell neighbouring quanta apart.
  private static final double MAX_QUANTA = 9.007199254740992E15;

  private final String name;
  private final ValueKind kind;
  private final boolean trimPadding;
  private final double tolerance;
  private final int precision;
  private final String zone;
  private transient ZoneId zoneId;

  CanonicalColumn(String name, ValueKind kind, boolean trimPadding, double tolerance,
      int precision, String zone) {
    this.name = name;
    this.kind = kind;
    this.trimPadding = trimPadding;
    this.tolerance = isFloat(kind) ? tolerance : 0;
    this.precision = precision;
    this.zone = zone;
  }

  String name() {
    return name;
  }

  ValueKind kind() {
    return kind;
  }

  boolean trimsPadding() {
    return trimPadding;
  }

  /** True when values are compared within a float tolerance rather than exactly. */
  boolean tolerant() {
    return tolerance > 0;
  }

  static boolean isFloat(ValueKind kind) {
    return kind == ValueKind.DOUBLE || kind == ValueKind.FLOAT;
  }

  /** The tag a converted value of this column carries. */
  char tag() {
    switch (kind) {
      case LONG:
      case DECIMAL:
        return 'n';
      case DOUBLE:
      case FLOAT:
        return tolerance > 0 ? QUANTIZED : 'f';
      case BOOLEAN:
        return 'b';
      case JSON:
        return 'j';
      case BYTES:
        return 'h';
      case UUID:
        return 'u';
      case DATE:
        return 'd';
      case TIME:
        return 't';
      case TIMESTAMP:
        return 'l';
      case TIMESTAMPTZ:
        return 'i';
      default:
        return 's';
    }
  }

  /** Appends the encoding of {@code value} to {@code out}. */
  void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append(NULL);
      return;
    }
    Object converted;
    try {
      converted = convert(value);
    } catch (ConversionException | RuntimeException e) {
      appendEncoded(out, UNCONVERTIBLE, raw(value));
      return;
    }
    if (converted == null) {
      out.append(NULL);
      return;
    }
    String text = text(converted);
    if (text == null) {
      appendEncoded(out, UNCONVERTIBLE, raw(value));
    } else {
      appendEncoded(out, tag(), text);
    }
  }

  /** True when an encoded value from {@code from} on in {@code encoded} is NULL. */
  static boolean hasNull(String encoded, int from) {
    for (int p = from; p < encoded.length(); p = elementEnd(encoded, p)) {
      if (encoded.charAt(p) == NULL) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where the encoded element starting at {@code p} (a tag, its text's UTF-8 length, a colon and
   * the text; or the NULL mark alone) ends in {@code encoded}.
   */
  static int elementEnd(String encoded, int p) {
    if (encoded.charAt(p) == NULL) {
      return p + 1;
    }
    int colon = encoded.indexOf(':', p);
    return Hashes.advanceUtf8(encoded, colon + 1,
        Integer.parseInt(encoded.substring(p + 1, colon)));
  }

  static void appendEncoded(StringBuilder out, char tag, String text) {
    out.append(tag).append(Hashes.utf8Length(text)).append(':').append(text);
  }

  /** The value as a double for tolerance checks; NaN when null or not a number. */
  double approx(Object value) {
    if (value == null) {
      return Double.NaN;
    }
    try {
      Object v = convert(value);
      return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
    } catch (ConversionException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private Object convert(Object value) throws ConversionException {
    if (kind == ValueKind.TIMESTAMPTZ && value instanceof LocalDateTime) {
      // A zone-less source timestamp means wall time in the stated source zone.
      return ((LocalDateTime) value).atZone(zone()).toOffsetDateTime()
          .withOffsetSameInstant(ZoneOffset.UTC);
    }
    return Conversions.convert(value, kind);
  }

  private ZoneId zone() {
    if (zoneId == null) {
      zoneId = ZoneId.of(zone);
    }
    return zoneId;
  }

  /** The canonical text of a converted value, or null when it has none (invalid JSON). */
  private String text(Object v) {
    switch (kind) {
      case LONG:
        return v.toString();
      case DECIMAL:
        return ((BigDecimal) v).stripTrailingZeros().toPlainString();
      case DOUBLE:
        return floatText((Double) v);
      case FLOAT:
        return floatText(((Float) v).doubleValue());
      case BOOLEAN:
        return (Boolean) v ? "t" : "f";
      case JSON:
        return json((String) v);
      case BYTES:
        return HexFormat.of().formatHex((byte[]) v);
      case UUID:
        return v.toString();
      case DATE:
        return v.toString();
      case TIME:
        return truncate(TIME.format((LocalTime) v));
      case TIMESTAMP:
        return truncate(LOCAL.format((LocalDateTime) v));
      case TIMESTAMPTZ:
        return truncate(LOCAL.format(((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC)
            .toLocalDateTime()));
      default:
        String s = (String) v;
        return trimPadding ? stripTrailingSpaces(s) : s;
    }
  }

  private String floatText(double d) {
    if (tolerance > 0 && Double.isFinite(d) && Math.abs(d / tolerance) < MAX_QUANTA) {
      // Equal quanta differ by less than the tolerance, so an equal digest is never wrong.
      return Double.toString(Math.floor(d / tolerance) + 0.0);
    }
    return ExactFloat.text(d);
  }

  private String truncate(String formatted) {
    int dot = formatted.lastIndexOf('.');
    return precision == 0 ? formatted.substring(0, dot) : formatted.substring(0, dot + 1
        + precision);
  }

  static String stripTrailingSpaces(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(0, end);
  }

  private static String raw(Object value) {
    return value instanceof byte[] ? HexFormat.of().formatHex((byte[]) value) : value.toString();
  }

  /** JSON by parsed value: keys sorted, no whitespace, numbers by value; null when invalid. */
  static String json(String text) {
    try {
      StringBuilder out = new StringBuilder(text.length());
      writeJson(JSON.readTree(text), out);
      return out.toString();
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static void writeJson(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      out.append('{');
      for (int i = 0; i < names.size(); i++) {
        out.append(i == 0 ? "" : ",");
        quote(names.get(i), out);
        out.append(':');
        writeJson(node.get(names.get(i)), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      Iterator<JsonNode> items = node.elements();
      for (boolean first = true; items.hasNext(); first = false) {
        out.append(first ? "" : ",");
        writeJson(items.next(), out);
      }
      out.append(']');
    } else if (node.isNumber()) {
      BigDecimal d = node.decimalValue().stripTrailingZeros();
      out.append(d.signum() == 0 ? "0" : d.toString());
    } else if (node.isTextual()) {
      quote(node.textValue(), out);
    } else {
      out.append(node.asText());
    }
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"').append(JsonStringEncoder.getInstance().quoteAsString(s)).append('"');
  }

  /** Reads back a value of this column from its tag and text (used for keys). */
  Object decode(char tag, String text) {
    if (tag == UNCONVERTIBLE) {
      return text;
    }
    switch (kind) {
      case LONG:
        return Long.parseLong(text);
      case DECIMAL:
        return new BigDecimal(text);
      case DOUBLE:
        return ExactFloat.parse(text);
      case FLOAT:
        return (float) ExactFloat.parse(text);
      case BOOLEAN:
        return text.equals("t");
      case BYTES:
        return HexFormat.of().parseHex(text);
      case UUID:
        return UUID.fromString(text);
      case DATE:
        return LocalDate.parse(text);
      case TIME:
        return LocalTime.parse(text);
      case TIMESTAMP:
        return LocalDateTime.parse(text);
      case TIMESTAMPTZ:
        return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
      default:
        return text;
    }
  }

  @Override
  public String toString() {
    return name + " " + kind + (trimPadding ? " trimmed" : "") + (tolerance > 0 ? " ±"
        + tolerance : "");
  }
}
