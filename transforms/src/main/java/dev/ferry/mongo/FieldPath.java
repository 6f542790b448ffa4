package dev.ferry.mongo;

import dev.ferry.record.ConversionException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * A dotted field path such as {@code address.city} or {@code tags.0}: how a column of a flat
 * record names a field inside a nested document. Reading follows documents and, for numeric
 * segments, array positions; writing creates the subdocuments on the way.
 */
public final class FieldPath implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String[] segments;

  private FieldPath(String path) {
    this.path = path;
    this.segments = path.split("\\.", -1);
    for (String s : segments) {
      if (s.isEmpty() || s.startsWith("$")) {
        throw new IllegalArgumentException("invalid field path '" + path + "': segments must"
            + " be non-empty and must not start with '$'");
      }
    }
  }

  public static FieldPath of(String path) {
    return new FieldPath(path);
  }

  /** The top-level field the path starts at. */
  public String head() {
    return segments[0];
  }

  public boolean nested() {
    return segments.length > 1;
  }

  /** The value at this path, or null when any part of it is missing. */
  public Object get(Document document) {
    Object current = document;
    for (String segment : segments) {
      if (current instanceof Map) {
        current = ((Map<?, ?>) current).get(segment);
      } else if (current instanceof List && isIndex(segment)) {
        List<?> list = (List<?>) current;
        int i = Integer.parseInt(segment);
        current = i < list.size() ? list.get(i) : null;
      } else {
        return null;
      }
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  /** Sets the value at this path, creating subdocuments; fails when a part is not a document. */
  public void set(Document document, Object value) throws ConversionException {
    Document current = document;
    for (int i = 0; i < segments.length - 1; i++) {
      Object next = current.get(segments[i]);
      if (next == null) {
        Document created = new Document();
        current.put(segments[i], created);
        current = created;
      } else if (next instanceof Document) {
        current = (Document) next;
      } else {
        throw new ConversionException("field " + path + " cannot be set: "
            + String.join(".", java.util.Arrays.copyOf(segments, i + 1)) + " is a "
            + next.getClass().getSimpleName() + ", not a document");
      }
    }
    current.put(segments[segments.length - 1], value);
  }

  private static boolean isIndex(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      if (!Character.isDigit(segment.charAt(i))) {
        return false;
      }
    }
    return segment.length() < 10;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldPath && path.equals(((FieldPath) o).path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return path;
  }
}
