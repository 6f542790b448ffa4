package dev.ferry.record;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The ordered columns of the records in one stream, with a name lookup. */
public final class Layout implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<Column> columns;
  private final Map<String, Integer> indexByName;

  public Layout(List<Column> columns) {
    this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      if (index.put(columns.get(i).name(), i) != null) {
        throw new IllegalArgumentException("duplicate column name: " + columns.get(i).name());
      }
    }
    this.indexByName = index;
  }

  public List<Column> columns() {
    return columns;
  }

  public int size() {
    return columns.size();
  }

  public Column column(int index) {
    return columns.get(index);
  }

  public boolean has(String name) {
    return indexByName.containsKey(name);
  }

  /** The position of a column, failing with the known names when it does not exist. */
  public int indexOf(String name) {
    Integer i = indexByName.get(name);
    if (i == null) {
      throw new IllegalArgumentException("no column '" + name + "' among " + names());
    }
    return i;
  }

  public List<String> names() {
    List<String> names = new ArrayList<>(columns.size());
    for (Column c : columns) {
      names.add(c.name());
    }
    return names;
  }

  /** Positions of the given columns, in the given order. */
  public int[] indexesOf(List<String> names) {
    int[] result = new int[names.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = indexOf(names.get(i));
    }
    return result;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Layout && columns.equals(((Layout) o).columns);
  }

  @Override
  public int hashCode() {
    return columns.hashCode();
  }

  @Override
  public String toString() {
    return columns.toString();
  }
}
