package dev.ferry.mongo;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.ferry.mongo.BsonValues.JsonStyle;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A MongoDB collection read as rows: which documents ({@code filter}), which parts of them
 * ({@code projection}, {@code fields}), ordered by which key, and the {@link Layout} of the rows.
 *
 * <pre>{@code
 * CollectionSource source = CollectionSource.of(endpoint, "orders")
 *     .withFilter("{\"status\": \"open\"}")
 *     .withFields(List.of("_id", "customer.email", "total"))
 *     .describe(client);              // samples documents for the fields' types
 * }</pre>
 *
 * <p>Columns are field paths: {@code customer.email} flattens a nested field into a column of its
 * own, {@code tags.0} takes an array's first element. Without {@code withFields} every top-level
 * field found in a sample of documents (the first and last {@value #SAMPLE} in key order) becomes a
 * column; a document read later with a field outside that sample is dead-lettered, never
 * truncated. With {@code withFields} exactly those paths are read, like the column list of a
 * SELECT.
 */
public final class CollectionSource implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Documents sampled from each end of the key order to find fields and their types. */
  public static final int SAMPLE = 500;

  private final MongoEndpoint endpoint;
  private final String collection;
  private final String filter;
  private final String projection;
  private final String key;
  private final List<String> fields;
  private final JsonStyle jsonStyle;
  private final Layout layout;
  private final boolean fieldsInferred;

  private CollectionSource(MongoEndpoint endpoint, String collection, String filter,
      String projection, String key, List<String> fields, JsonStyle jsonStyle, Layout layout,
      boolean fieldsInferred) {
    this.endpoint = endpoint;
    this.collection = collection;
    this.filter = filter;
    this.projection = projection;
    this.key = key;
    this.fields = fields;
    this.jsonStyle = jsonStyle;
    this.layout = layout;
    this.fieldsInferred = fieldsInferred;
  }

  public static CollectionSource of(MongoEndpoint endpoint, String collection) {
    Objects.requireNonNull(endpoint, "endpoint");
    if (collection == null || collection.isEmpty() || collection.contains("$")
        || collection.startsWith("system.")) {
      throw new IllegalArgumentException("invalid collection name '" + collection + "'");
    }
    return new CollectionSource(endpoint, collection, null, null, "_id", List.of(),
        JsonStyle.EXTENDED, null, false);
  }

  /** Only documents matching this query (MongoDB Extended JSON, e.g. {@code {"a": {"$gt": 1}}}). */
  public CollectionSource withFilter(String json) {
    parse(json, "filter");
    return new CollectionSource(endpoint, collection, json, projection, key, fields, jsonStyle,
        null, false);
  }

  /** Only documents matching this query as well as the filter given so far (if any). */
  public CollectionSource andFilter(String json) {
    parse(json, "filter");
    return withFilter(filter == null ? json : "{\"$and\": [" + filter + ", " + json + "]}");
  }

  /** A server-side projection (Extended JSON); the key and {@code _id} are always read. */
  public CollectionSource withProjection(String json) {
    parse(json, "projection");
    return new CollectionSource(endpoint, collection, filter, json, key, fields, jsonStyle,
        null, false);
  }

  /**
   * The field that orders the reading and splits it into ranges (default {@code _id}). Another
   * field need not be unique: ties are broken by {@code _id}.
   */
  public CollectionSource withKey(String field) {
    FieldPath.of(field);
    return new CollectionSource(endpoint, collection, filter, projection, field, fields,
        jsonStyle, null, false);
  }

  /** The field paths to read as columns, instead of the fields found in a sample. */
  public CollectionSource withFields(List<String> paths) {
    for (String p : paths) {
      FieldPath.of(p);
    }
    return new CollectionSource(endpoint, collection, filter, projection, key,
        List.copyOf(paths), jsonStyle, null, false);
  }

  /** How subdocuments and arrays are carried as text (default {@link JsonStyle#EXTENDED}). */
  public CollectionSource withJsonStyle(JsonStyle style) {
    return new CollectionSource(endpoint, collection, filter, projection, key, fields,
        Objects.requireNonNull(style), layout, fieldsInferred);
  }

  /**
   * This source with its {@link #layout()}: the key first, then the given fields or those of a
   * sample, each typed by the BSON type most of the sampled values have.
   */
  public CollectionSource describe(MongoClient client) {
    MongoCollection<Document> c = collection(client);
    Map<String, Map<String, Integer>> types = new LinkedHashMap<>();
    types.put(key, new HashMap<>());
    for (String f : fields) {
      types.putIfAbsent(f, new HashMap<>());
    }
    boolean inferred = fields.isEmpty();
    for (Bson order : List.of(Sorts.ascending(key), Sorts.descending(key))) {
      for (Document d : find(c, query()).sort(order).limit(SAMPLE)) {
        if (inferred) {
          addFields(types, d);
        }
        for (Map.Entry<String, Map<String, Integer>> e : types.entrySet()) {
          Object v = FieldPath.of(e.getKey()).get(d);
          if (v != null) {
            e.getValue().merge(BsonValues.typeName(v), 1, Integer::sum);
          }
        }
      }
    }
    List<Column> columns = new ArrayList<>();
    for (Map.Entry<String, Map<String, Integer>> e : types.entrySet()) {
      String type = e.getValue().entrySet().stream().max(Map.Entry.comparingByValue())
          .map(Map.Entry::getKey).orElse("string");
      columns.add(BsonValues.column(e.getKey(), type));
    }
    return new CollectionSource(endpoint, collection, filter, projection, key, fields,
        jsonStyle, new Layout(columns), inferred);
  }

  /**
   * Adds a document's unseen fields to the columns, each right after the field that precedes it
   * in the document, so documents that lack some fields still agree on the order of the rest
   * (a MongoDB target gets its fields in the sample's order).
   */
  private static void addFields(Map<String, Map<String, Integer>> types, Document d) {
    List<String> order = new ArrayList<>(types.keySet());
    String previous = null;
    boolean added = false;
    for (String name : d.keySet()) {
      if (!types.containsKey(name) && !order.contains(name)) {
        order.add(previous == null ? 0 : order.indexOf(previous) + 1, name);
        added = true;
      }
      previous = name;
    }
    if (added) {
      Map<String, Map<String, Integer>> reordered = new LinkedHashMap<>();
      for (String name : order) {
        reordered.put(name, types.getOrDefault(name, new HashMap<>()));
      }
      types.clear();
      types.putAll(reordered);
    }
  }

  /** The documents of this source (the filter), without range bounds. */
  public Bson query() {
    return filter == null ? Filters.empty() : parse(filter, "filter");
  }

  /** A find on this source's projection; fields named by path are projected by their head. */
  FindIterable<Document> find(MongoCollection<Document> c, Bson query) {
    FindIterable<Document> find = c.find(query);
    if (projection != null) {
      find = find.projection(parse(projection, "projection"));
    } else if (!fields.isEmpty()) {
      List<String> heads = new ArrayList<>();
      heads.add(FieldPath.of(key).head());
      heads.add("_id");
      for (String f : fields) {
        heads.add(FieldPath.of(f).head());
      }
      find = find.projection(Projections.include(new ArrayList<>(new java.util.LinkedHashSet<>(
          heads))));
    }
    return find;
  }

  public MongoCollection<Document> collection(MongoClient client) {
    return endpoint.database(client).getCollection(collection);
  }

  private static Document parse(String json, String what) {
    try {
      return Document.parse(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the " + what + " is not a JSON document: "
          + e.getMessage(), e);
    }
  }

  public MongoEndpoint endpoint() {
    return endpoint;
  }

  public String collectionName() {
    return collection;
  }

  public String key() {
    return key;
  }

  public JsonStyle jsonStyle() {
    return jsonStyle;
  }

  /** The rows' columns; only after {@link #describe}. */
  public Layout layout() {
    if (layout == null) {
      throw new IllegalStateException("describe() the source first");
    }
    return layout;
  }

  /** True when the columns came from a sample, so unseen fields must be dead-lettered. */
  public boolean fieldsInferred() {
    return fieldsInferred;
  }

  /** For display and fingerprints: database, collection, key, filter, projection, fields. */
  @Override
  public String toString() {
    return endpoint.database() + "." + collection + " by " + key
        + (filter == null ? "" : " where " + filter)
        + (projection == null ? "" : " projecting " + projection)
        + (fields.isEmpty() ? "" : " fields " + fields);
  }
}
