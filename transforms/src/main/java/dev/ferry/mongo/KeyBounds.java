package dev.ferry.mongo;

import com.mongodb.client.model.Filters;
import dev.ferry.plan.KeyRange;
import dev.ferry.record.KeyCodec;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Query filters for planned ranges of a collection's key, and the text form of key values in
 * plans and checkpoints.
 *
 * <p>A key value is kept as canonical Extended JSON ({@code {"k": {"$oid": "…"}}}) inside the
 * plan's {@link KeyRange} and the chunk's checkpoint, so a resumed run queries with exactly the
 * BSON value (an ObjectId stays an ObjectId, a long a long) it stopped at.
 *
 * <p>MongoDB compares values of different types by type first and a range query only matches
 * values of the bound's type ("type bracketing"), so ranges cover the key's planned type only;
 * documents whose key has another type, is null or is missing are read as one range of their
 * own ({@link KeyRange#ofNullKeys}).
 */
final class KeyBounds {
  private final String key;
  private final String typeAlias;

  /** {@code typeName} as {@link BsonValues#typeName} names it. */
  KeyBounds(String key, String typeName) {
    this.key = key;
    this.typeAlias = alias(typeName);
  }

  /** The $type alias of a key type; every numeric type compares with every other. */
  private static String alias(String typeName) {
    switch (typeName) {
      case "int":
      case "long":
      case "double":
      case "decimal":
        return "number";
      case "objectid":
        return "objectId";
      case "bindata":
        return "binData";
      default:
        return typeName;
    }
  }

  /** Documents whose key has the planned type. */
  Bson typed() {
    return Filters.type(key, typeAlias);
  }

  /** Documents whose key has another type, is null or is missing. */
  Bson untyped() {
    return Filters.not(Filters.type(key, typeAlias));
  }

  /** The filter of a planned range (without the source's own filter). */
  Bson of(KeyRange range) {
    if (range.nullKeys()) {
      return untyped();
    }
    List<Bson> parts = new ArrayList<>();
    parts.add(typed());
    if (range.lower() != null) {
      parts.add(Filters.gte(key, decode((String) range.lower()[0]).get("k")));
    }
    if (range.upper() != null) {
      parts.add(Filters.lt(key, decode((String) range.upper()[0]).get("k")));
    }
    return Filters.and(parts);
  }

  /**
   * Documents after a checkpoint in (key, _id) order: a key that is not {@code _id} may repeat,
   * so the checkpoint holds both.
   */
  Bson after(String checkpoint) {
    Document position = decode((String) KeyCodec.decode(checkpoint)[0]);
    Object k = position.get("k");
    if (key.equals("_id")) {
      return Filters.gt("_id", k);
    }
    Object id = position.get("i");
    return Filters.or(Filters.gt(key, k), Filters.and(Filters.eq(key, k), Filters.gt("_id", id)));
  }

  /** A key value for a planned range bound. */
  static Object[] bound(Object keyValue) {
    return new Object[] {BsonValues.canonicalJson(new Document("k", keyValue))};
  }

  /** The checkpoint after a document with this key and _id. */
  static String checkpoint(Object keyValue, Object id) {
    return KeyCodec.encode(new Object[] {
        BsonValues.canonicalJson(new Document("k", keyValue).append("i", id))});
  }

  private static Document decode(String json) {
    return Document.parse(json);
  }
}
