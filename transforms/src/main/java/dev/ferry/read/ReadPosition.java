package dev.ferry.read;

import java.io.Serializable;
import java.util.Objects;

/**
 * The restriction of the splittable {@link ReadRangeFn}: the part of one key range still to read,
 * as the chunk sequence number and encoded key after which it starts, and, once the runner has
 * taken a checkpoint, the last chunk that belongs to this part ({@code endSeq}).
 *
 * <p>Reading a range is a forward-only stream, so the only split is a checkpoint: "what was
 * emitted so far" and "the rest, after the last emitted key". Runners without backpressure
 * between steps (the DirectRunner keeps every output of a {@code @ProcessElement} call in memory
 * until the call returns) get the rest back as a new element after each checkpoint, so a large
 * range never sits in memory whole.
 */
final class ReadPosition implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long OPEN = Long.MAX_VALUE;

  final long startSeq;
  final String startAfterKey;
  final long endSeq;
  /** False for the range of NULL keys, which has no key order to resume in. */
  final boolean splittable;

  ReadPosition(long startSeq, String startAfterKey, long endSeq, boolean splittable) {
    this.startSeq = startSeq;
    this.startAfterKey = startAfterKey;
    this.endSeq = endSeq;
    this.splittable = splittable;
  }

  /** One emitted chunk: the position a chunk claims before it is output. */
  static final class Claim {
    final long seq;
    final String lastKey;
    final boolean last;

    Claim(long seq, String lastKey, boolean last) {
      this.seq = seq;
      this.lastKey = lastKey;
      this.last = last;
    }

    @Override
    public String toString() {
      return "chunk " + seq + (last ? " (last)" : "") + (lastKey == null ? "" : " to " + lastKey);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ReadPosition)) {
      return false;
    }
    ReadPosition p = (ReadPosition) o;
    return startSeq == p.startSeq && endSeq == p.endSeq && splittable == p.splittable
        && Objects.equals(startAfterKey, p.startAfterKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(startSeq, startAfterKey, endSeq, splittable);
  }

  @Override
  public String toString() {
    return "after chunk " + startSeq + (startAfterKey == null ? "" : " (key " + startAfterKey + ")")
        + (endSeq == OPEN ? " to the end" : " to chunk " + endSeq);
  }
}
