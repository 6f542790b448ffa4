package dev.ferry.plan;

import dev.ferry.record.KeyCodec;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One slice of a table's key space: keys from {@code lower} (inclusive) up to {@code upper}
 * (exclusive), where a missing bound means unbounded, compared as tuples for composite keys.
 * Planned ranges are contiguous and start and end unbounded, so together they cover every
 * non-NULL key exactly once, including keys inserted after planning. Rows whose key has a NULL
 * are never inside such a range; they get a range of their own ({@link #nullKeys()}).
 */
public final class KeyRange implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int index;
  private final Object[] lower;
  private final Object[] upper;
  private final boolean nullKeys;
  private final long estimatedRows;

  private KeyRange(int index, Object[] lower, Object[] upper, boolean nullKeys, long estimatedRows) {
    this.index = index;
    this.lower = lower;
    this.upper = upper;
    this.nullKeys = nullKeys;
    this.estimatedRows = estimatedRows;
  }

  public static KeyRange between(int index, Object[] lower, Object[] upper, long estimatedRows) {
    return new KeyRange(index, lower, upper, false, estimatedRows);
  }

  /** The rows whose key has at least one NULL column. */
  public static KeyRange ofNullKeys(int index, long estimatedRows) {
    return new KeyRange(index, null, null, true, estimatedRows);
  }

  public int index() {
    return index;
  }

  /** Inclusive lower bound, or null when unbounded. */
  public Object[] lower() {
    return lower;
  }

  /** Exclusive upper bound, or null when unbounded. */
  public Object[] upper() {
    return upper;
  }

  public boolean nullKeys() {
    return nullKeys;
  }

  public long estimatedRows() {
    return estimatedRows;
  }

  /** The bounds as text for progress state; decoded by {@link #fromText}. */
  public String lowerText() {
    return lower == null ? null : KeyCodec.encode(lower);
  }

  public String upperText() {
    return upper == null ? null : KeyCodec.encode(upper);
  }

  public static KeyRange fromText(
      int index, String lower, String upper, boolean nullKeys, long estimatedRows) {
    return new KeyRange(
        index,
        lower == null ? null : KeyCodec.decode(lower),
        upper == null ? null : KeyCodec.decode(upper),
        nullKeys,
        estimatedRows);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeyRange)) {
      return false;
    }
    KeyRange r = (KeyRange) o;
    return index == r.index
        && nullKeys == r.nullKeys
        && estimatedRows == r.estimatedRows
        && Arrays.deepEquals(lower, r.lower)
        && Arrays.deepEquals(upper, r.upper);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, nullKeys, Arrays.deepHashCode(lower), Arrays.deepHashCode(upper));
  }

  @Override
  public String toString() {
    if (nullKeys) {
      return "range " + index + " [NULL keys]";
    }
    return "range " + index + " [" + (lower == null ? "-inf" : Arrays.toString(lower)) + ", "
        + (upper == null ? "+inf" : Arrays.toString(upper)) + ")";
  }
}
