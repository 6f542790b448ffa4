package dev.ferry.mongo;

import dev.ferry.record.ConversionException;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import dev.ferry.record.RowJson;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;

/**
 * Turns documents into rows of a {@link CollectionSource}'s layout, or into a dead letter that
 * names the collection, the document's key and the field at fault.
 */
final class DocumentRows {
  private final CollectionSource source;
  private final Layout layout;
  private final FieldPath[] paths;
  private final FieldPath key;
  private final Set<String> knownHeads = new HashSet<>();

  /** A row, or the reason there is none. */
  static final class Result {
    final Record record;
    final DeadLetter deadLetter;

    private Result(Record record, DeadLetter deadLetter) {
      this.record = record;
      this.deadLetter = deadLetter;
    }
  }

  DocumentRows(CollectionSource source) {
    this.source = source;
    this.layout = source.layout();
    this.paths = new FieldPath[layout.size()];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = FieldPath.of(layout.column(i).name());
      knownHeads.add(paths[i].head());
    }
    this.key = FieldPath.of(source.key());
  }

  Result toRecord(Document d) {
    if (source.fieldsInferred()) {
      for (String name : d.keySet()) {
        if (!knownHeads.contains(name)) {
          return new Result(null, deadLetter(d, name, "field " + name + " was not in the"
              + " sampled documents the columns were taken from; list the fields to read in"
              + " source.fields (or leave it out with a projection)"));
        }
      }
    }
    Object[] values = new Object[paths.length];
    for (int i = 0; i < paths.length; i++) {
      try {
        values[i] = BsonValues.toValue(paths[i].get(d), source.jsonStyle());
      } catch (ConversionException e) {
        return new Result(null, deadLetter(d, paths[i].toString(), "field " + paths[i] + ": "
            + e.getMessage()));
      }
    }
    return new Result(new Record(values), null);
  }

  /** The checkpoint after this document. */
  String checkpoint(Document d) {
    return KeyBounds.checkpoint(key.get(d), d.get("_id"));
  }

  private DeadLetter deadLetter(Document d, String field, String reason) {
    return new DeadLetter(readableKey(d), DeadLetter.Stage.READ, field,
        "collection " + source.collectionName() + ", " + key + " " + readableKey(d) + ": "
            + reason, sourceJson(d));
  }

  private String readableKey(Document d) {
    Object k = key.get(d);
    Object value;
    try {
      value = BsonValues.toValue(k, BsonValues.JsonStyle.EXTENDED);
    } catch (ConversionException e) {
      value = String.valueOf(k);
    }
    return KeyCodec.readable(List.of(key.toString()), new Object[] {value});
  }

  /** The document as canonical Extended JSON, cut like every dead-lettered row. */
  private static String sourceJson(Document d) {
    String json = BsonValues.canonicalJson(d);
    int max = RowJson.MAX_VALUE_CHARS;
    return json.length() <= max ? json
        : RowJson.render(new Layout(List.of(BsonValues.column("document", "object"))),
            new Object[] {json});
  }
}
