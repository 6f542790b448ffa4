package dev.ferry.mongo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.record.Column;
import dev.ferry.record.ConversionException;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Conversions between the values the MongoDB driver reads and writes ({@link Document} fields)
 * and ferry's value kinds. Nothing is changed silently: a value with no faithful counterpart
 * (a NaN Decimal128, a timestamp with microseconds for a millisecond BSON date, a decimal with
 * more than 34 digits) fails with a {@link ConversionException} that becomes a dead letter.
 *
 * <p>Reading: int and long become Long, double Double, decimal BigDecimal, date an instant
 * (OffsetDateTime in UTC), ObjectId its 24-digit hex text, a UUID (binary subtype 4) a UUID,
 * other binary bytes, and subdocuments and arrays JSON text in a {@link JsonStyle}. Writing
 * goes back by the value's kind and its column's type ({@link #typeName}): hex text of an
 * {@code objectid} column becomes an ObjectId again, JSON text of an {@code object}, {@code
 * array}, {@code json} or {@code jsonb} column a subdocument or array.
 */
public final class BsonValues {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonWriterSettings CANONICAL =
      JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
  private static final JsonWriterSettings PLAIN = JsonWriterSettings.builder()
      .outputMode(JsonMode.RELAXED)
      .objectIdConverter((v, w) -> w.writeString(v.toHexString()))
      .dateTimeConverter((v, w) -> w.writeString(Instant.ofEpochMilli(v).toString()))
      .decimal128Converter((v, w) -> w.writeNumber(v.bigDecimalValue().toPlainString()))
      .int64Converter((v, w) -> w.writeNumber(Long.toString(v)))
      .binaryConverter((v, w) -> w.writeString(Base64.getEncoder().encodeToString(v.getData())))
      .build();

  /** How subdocuments and arrays are carried as text. */
  public enum JsonStyle {
    /**
     * MongoDB Extended JSON, canonical mode: every BSON type survives the trip, so a
     * MongoDB-to-MongoDB copy writes exactly what it read.
     */
    EXTENDED,
    /**
     * Plain JSON for a relational target's json/jsonb: ObjectIds and dates as strings (ISO-8601
     * in UTC), decimals and longs as numbers, binary as base64.
     */
    PLAIN
  }

  private BsonValues() {}

  /** The MongoDB type alias of a driver value, lower case, as ferry keeps it in a column. */
  public static String typeName(Object v) {
    if (v == null) {
      return "null";
    } else if (v instanceof String) {
      return "string";
    } else if (v instanceof Integer) {
      return "int";
    } else if (v instanceof Long) {
      return "long";
    } else if (v instanceof Double) {
      return "double";
    } else if (v instanceof Decimal128) {
      return "decimal";
    } else if (v instanceof Boolean) {
      return "bool";
    } else if (v instanceof Date) {
      return "date";
    } else if (v instanceof ObjectId) {
      return "objectid";
    } else if (v instanceof UUID) {
      return "uuid";
    } else if (v instanceof Binary) {
      return "bindata";
    } else if (v instanceof Map) {
      return "object";
    } else if (v instanceof List) {
      return "array";
    }
    return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /** The column ferry describes for a field of the given type alias. */
  public static Column column(String name, String typeName) {
    int jdbcType;
    switch (typeName) {
      case "string":
      case "objectid":
        jdbcType = Types.VARCHAR;
        break;
      case "int":
        jdbcType = Types.INTEGER;
        break;
      case "long":
        jdbcType = Types.BIGINT;
        break;
      case "double":
        jdbcType = Types.DOUBLE;
        break;
      case "decimal":
        jdbcType = Types.DECIMAL;
        break;
      case "bool":
        jdbcType = Types.BOOLEAN;
        break;
      case "date":
        jdbcType = Types.TIMESTAMP_WITH_TIMEZONE;
        break;
      case "bindata":
        jdbcType = Types.VARBINARY;
        break;
      default:
        jdbcType = Types.OTHER;
    }
    return new Column(name, jdbcType, typeName, 0, 0, true);
  }

  /** A driver value as a ferry value. */
  public static Object toValue(Object v, JsonStyle style) throws ConversionException {
    if (v == null || v instanceof String || v instanceof Long || v instanceof Double
        || v instanceof Boolean || v instanceof UUID) {
      return v;
    } else if (v instanceof Integer) {
      return ((Integer) v).longValue();
    } else if (v instanceof Decimal128) {
      Decimal128 d = (Decimal128) v;
      if (d.isNaN() || d.isInfinite() || d.isNegative() && d.bigDecimalValue().signum() == 0) {
        throw new ConversionException("Decimal128 " + d + " has no decimal value");
      }
      return d.bigDecimalValue();
    } else if (v instanceof Date) {
      return OffsetDateTime.ofInstant(((Date) v).toInstant(), ZoneOffset.UTC);
    } else if (v instanceof ObjectId) {
      return ((ObjectId) v).toHexString();
    } else if (v instanceof Binary) {
      return ((Binary) v).getData();
    } else if (v instanceof Map || v instanceof List) {
      return toJson(v, style);
    }
    throw new ConversionException("BSON type " + typeName(v) + " is not supported by ferry");
  }

  /** A subdocument or array as JSON text. */
  public static String toJson(Object nested, JsonStyle style) throws ConversionException {
    JsonWriterSettings settings = style == JsonStyle.PLAIN ? PLAIN : CANONICAL;
    try {
      if (nested instanceof Map) {
        return toDocument((Map<?, ?>) nested).toJson(settings);
      }
      // Extended JSON is written per document: wrap the array and take it back out.
      String wrapped = new Document("v", nested).toJson(settings);
      return JSON.readTree(wrapped).get("v").toString();
    } catch (IOException | RuntimeException e) {
      throw new ConversionException("cannot render " + typeName(nested) + " as JSON: "
          + e.getMessage());
    }
  }

  private static Document toDocument(Map<?, ?> map) {
    if (map instanceof Document) {
      return (Document) map;
    }
    Document d = new Document();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      d.put(String.valueOf(e.getKey()), e.getValue());
    }
    return d;
  }

  /**
   * A ferry value as a driver value for a field of {@code column}: by the column's type where it
   * says more than the value (ObjectId, 32-bit int, subdocuments), otherwise by the value.
   */
  public static Object toBson(Object v, Column column) throws ConversionException {
    if (v == null) {
      return null;
    }
    String type = column.typeName();
    if (v instanceof String) {
      String s = (String) v;
      switch (type) {
        case "objectid":
          if (!ObjectId.isValid(s)) {
            throw new ConversionException("'" + shorten(s) + "' is not an ObjectId (24 hex"
                + " digits)");
          }
          return new ObjectId(s);
        case "object":
        case "array":
        case "json":
        case "jsonb":
          return parseJson(s);
        default:
          return s;
      }
    }
    if (v instanceof Long) {
      long n = (Long) v;
      boolean int32Column = type.equals("int") || column.jdbcType() == Types.INTEGER
          || column.jdbcType() == Types.SMALLINT || column.jdbcType() == Types.TINYINT;
      return int32Column && n == (int) n ? (Object) (int) n : (Object) n;
    }
    if (v instanceof Double || v instanceof Boolean || v instanceof UUID) {
      return v;
    }
    if (v instanceof Float) {
      return Double.parseDouble(v.toString());
    }
    if (v instanceof BigDecimal) {
      try {
        return new Decimal128((BigDecimal) v);
      } catch (NumberFormatException e) {
        throw new ConversionException("decimal " + shorten(((BigDecimal) v).toPlainString())
            + " does not fit a Decimal128 (34 significant digits): " + e.getMessage());
      }
    }
    if (v instanceof byte[]) {
      return new Binary((byte[]) v);
    }
    if (v instanceof OffsetDateTime) {
      return date(((OffsetDateTime) v).toInstant());
    }
    if (v instanceof LocalDateTime) {
      return date(((LocalDateTime) v).toInstant(ZoneOffset.UTC));
    }
    if (v instanceof LocalDate) {
      return Date.from(((LocalDate) v).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
    if (v instanceof LocalTime) {
      return v.toString();
    }
    throw new ConversionException("cannot store a " + v.getClass().getSimpleName()
        + " in MongoDB");
  }

  private static Date date(Instant instant) throws ConversionException {
    if (instant.getNano() % 1_000_000 != 0) {
      throw new ConversionException("timestamp " + instant + " has sub-millisecond digits; a"
          + " BSON date keeps milliseconds (cast the column to text to keep them)");
    }
    return Date.from(instant);
  }

  private static Object parseJson(String text) throws ConversionException {
    String trimmed = text.strip();
    try {
      if (trimmed.startsWith("[")) {
        return Document.parse("{\"v\": " + trimmed + "}").get("v");
      }
      return Document.parse(trimmed);
    } catch (RuntimeException e) {
      throw new ConversionException("'" + shorten(text) + "' is not a JSON document or array: "
          + e.getMessage());
    }
  }

  /** Canonical Extended JSON of a whole document, for dead letters and resume positions. */
  public static String canonicalJson(Document document) {
    return document.toJson(CANONICAL);
  }

  private static String shorten(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "... (" + s.length() + " characters)";
  }
}
