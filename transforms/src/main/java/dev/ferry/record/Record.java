package dev.ferry.record;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One row as an array of values in the column order of a {@link Layout}. Values are plain Java
 * objects of the kinds listed in {@link ValueCodec}; the layout travels with the transform, not
 * with every row, which keeps rows small.
 */
public final class Record implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Object[] values;

  public Record(Object[] values) {
    this.values = values;
  }

  public static Record of(Object... values) {
    return new Record(values);
  }

  public Object get(int index) {
    return values[index];
  }

  public int size() {
    return values.length;
  }

  /** The backing array; callers must not modify it after handing the record on. */
  public Object[] values() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Record && Arrays.deepEquals(values, ((Record) o).values);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values);
  }

  @Override
  public String toString() {
    return Arrays.deepToString(values);
  }
}
