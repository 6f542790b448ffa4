package dev.ferry.read;

import dev.ferry.plan.KeyRange;
import java.io.Serializable;
import java.util.Objects;

/**
 * A range still to be read, and where to pick it up: after the last checkpointed key, with chunk
 * numbers continuing from the last committed one. A fresh range starts at sequence 0 with no key.
 */
public final class RangeTask implements Serializable {
  private static final long serialVersionUID = 1L;

  private final KeyRange range;
  private final long committedSeq;
  private final String afterKey;

  public RangeTask(KeyRange range, long committedSeq, String afterKey) {
    this.range = Objects.requireNonNull(range, "range");
    this.committedSeq = committedSeq;
    this.afterKey = afterKey;
  }

  public static RangeTask fresh(KeyRange range) {
    return new RangeTask(range, 0, null);
  }

  public KeyRange range() {
    return range;
  }

  /** The sequence number of the last chunk whose write was committed (0: none). */
  public long committedSeq() {
    return committedSeq;
  }

  /** Encoded key after which reading resumes, or null to read the whole range. */
  public String afterKey() {
    return afterKey;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RangeTask)) {
      return false;
    }
    RangeTask t = (RangeTask) o;
    return range.equals(t.range) && committedSeq == t.committedSeq
        && Objects.equals(afterKey, t.afterKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(range, committedSeq, afterKey);
  }

  @Override
  public String toString() {
    return range + (afterKey == null ? "" : " after " + afterKey + " (seq " + committedSeq + ")");
  }
}
