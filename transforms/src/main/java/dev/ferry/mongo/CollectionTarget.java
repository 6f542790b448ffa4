package dev.ferry.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.bson.Document;

/**
 * A MongoDB collection written by key: each row becomes one document, upserted by the values of
 * the key fields ({@code _id} by default), so writing a row again changes nothing.
 *
 * <p>{@link Mode#REPLACE} (the default) replaces the whole document, like a row upsert that sets
 * every column; {@link Mode#MERGE} sets only the row's fields ({@code $set}) and keeps the
 * document's other fields, for filling fields into existing documents.
 */
public final class CollectionTarget implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How a row is applied to the document with its key. */
  public enum Mode {
    REPLACE,
    MERGE,
    /**
     * The in-place fill: {@code updateOne} (never an insert) that sets the row's non-NULL
     * fields, filtered on the key and on each of those fields being NULL or absent, so a field
     * with a value is never changed and a re-run matches nothing.
     */
    FILL_NULLS
  }

  private final MongoEndpoint endpoint;
  private final String collection;
  private final List<String> key;
  private final Mode mode;
  private final boolean omitNulls;

  private CollectionTarget(MongoEndpoint endpoint, String collection, List<String> key,
      Mode mode, boolean omitNulls) {
    this.endpoint = endpoint;
    this.collection = collection;
    this.key = key;
    this.mode = mode;
    this.omitNulls = omitNulls;
  }

  public static CollectionTarget of(MongoEndpoint endpoint, String collection) {
    Objects.requireNonNull(endpoint, "endpoint");
    if (collection == null || collection.isEmpty() || collection.contains("$")
        || collection.startsWith("system.") || collection.startsWith("ferry_")) {
      throw new IllegalArgumentException("invalid target collection name '" + collection + "'");
    }
    return new CollectionTarget(endpoint, collection, List.of("_id"), Mode.REPLACE, false);
  }

  /** The field paths that identify a document (default {@code _id}). */
  public CollectionTarget withKey(List<String> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("a target key needs at least one field");
    }
    for (String f : fields) {
      FieldPath.of(f);
    }
    return new CollectionTarget(endpoint, collection, List.copyOf(fields), mode, omitNulls);
  }

  public CollectionTarget withMode(Mode mode) {
    return new CollectionTarget(endpoint, collection, key, Objects.requireNonNull(mode),
        omitNulls);
  }

  /**
   * Leaves NULL values out of the documents instead of writing {@code null} fields. For rows
   * read from another collection: a field a document lacks reads as NULL (its columns are the
   * union of the fields of many documents), and writing it back as {@code null} would add every
   * other document's fields to each one. The price: a field that was explicitly null is left out.
   */
  public CollectionTarget withNullFieldsOmitted() {
    return new CollectionTarget(endpoint, collection, key, mode, true);
  }

  public boolean omitsNulls() {
    return omitNulls;
  }

  /**
   * Creates a unique index on a key other than {@code _id} if there is none: without it two
   * upserts of a new key could both insert, and lookups by key would scan the collection.
   */
  public void ensureKeyIndex(MongoClient client) {
    if (!key.equals(List.of("_id"))) {
      collection(client).createIndex(Indexes.ascending(key), new IndexOptions().unique(true)
          .name("ferry_key_" + String.join("_", key)));
    }
  }

  public MongoCollection<Document> collection(MongoClient client) {
    return endpoint.database(client).getCollection(collection);
  }

  public MongoEndpoint endpoint() {
    return endpoint;
  }

  public String collectionName() {
    return collection;
  }

  public List<String> key() {
    return key;
  }

  public Mode mode() {
    return mode;
  }

  @Override
  public String toString() {
    return endpoint.database() + "." + collection + " by " + key;
  }
}
