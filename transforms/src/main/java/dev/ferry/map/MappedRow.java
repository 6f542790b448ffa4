package dev.ferry.map;

import dev.ferry.record.Layout;

/** The view a {@link RowTransform} gets: the mapped row to change and the source row to read. */
public final class MappedRow {
  private final Layout sourceLayout;
  private final Object[] source;
  private final Layout targetLayout;
  private final Object[] target;

  MappedRow(Layout sourceLayout, Object[] source, Layout targetLayout, Object[] target) {
    this.sourceLayout = sourceLayout;
    this.source = source;
    this.targetLayout = targetLayout;
    this.target = target;
  }

  /** A mapped (target) column's current value. */
  public Object get(String column) {
    return target[targetLayout.indexOf(column)];
  }

  /** Replaces a mapped column's value; the column must be part of the mapping's output. */
  public void set(String column, Object value) {
    target[targetLayout.indexOf(column)] = value;
  }

  /** A source column's value as read. */
  public Object source(String column) {
    return source[sourceLayout.indexOf(column)];
  }
}
