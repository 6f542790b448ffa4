package dev.ferry.record;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;

/**
 * A run of consecutive rows of one key range, in key order, with the checkpoint that writing it
 * earns: after chunk {@code seq} of range {@code range} is committed, every row of the range up
 * to {@code lastKey} is in the target. The reader numbers chunks 1, 2, 3… per range and marks
 * the final one {@code last}; a range with no rows still yields one empty, last chunk, so its
 * completion is recorded too.
 *
 * <p>{@code source} holds the rows as read; {@code target} holds them after mapping (null
 * before), aligned by position with {@code source}. Rows rejected on the way are moved to
 * {@code rejected}.
 *
 * <p>A chunk may instead carry its rows as COPY text ({@link #copyText()}), passed from a
 * PostgreSQL source to a PostgreSQL target with the same columns without being parsed; its
 * {@code source} and {@code target} lists are then empty.
 */
public final class Chunk implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int range;
  private final long seq;
  private final boolean last;
  private final String lastKey;
  private final long rowsRead;
  private final List<Record> source;
  private final List<Record> target;
  private final List<DeadLetter> rejected;
  private final CopyTextRows copyText;
  /** Counts the chunk in {@link InFlight} until it is written; not part of its value. */
  private transient InFlight.Ticket ticket;

  public Chunk(
      int range,
      long seq,
      boolean last,
      String lastKey,
      long rowsRead,
      List<Record> source,
      List<Record> target,
      List<DeadLetter> rejected) {
    this(range, seq, last, lastKey, rowsRead, source, target, rejected, null);
  }

  private Chunk(int range, long seq, boolean last, String lastKey, long rowsRead,
      List<Record> source, List<Record> target, List<DeadLetter> rejected,
      CopyTextRows copyText) {
    if (target != null && target.size() != source.size()) {
      throw new IllegalArgumentException("mapped rows must align with source rows");
    }
    this.range = range;
    this.seq = seq;
    this.last = last;
    this.lastKey = lastKey;
    this.rowsRead = rowsRead;
    this.source = Collections.unmodifiableList(source);
    this.target = target == null ? null : Collections.unmodifiableList(target);
    this.rejected = Collections.unmodifiableList(rejected);
    this.copyText = copyText;
  }

  /** A chunk of rows in COPY text, needing no mapping: it is its own mapped form. */
  public static Chunk ofCopyText(int range, long seq, boolean last, String lastKey,
      CopyTextRows rows) {
    return new Chunk(range, seq, last, lastKey, rows.rows(), List.of(), List.of(), List.of(),
        rows);
  }

  /** The same chunk after mapping: the surviving rows and their mapped forms. */
  public Chunk mapped(List<Record> keptSource, List<Record> mappedRows, List<DeadLetter> allRejected) {
    if (copyText != null) {
      throw new IllegalStateException("a chunk of COPY text rows is written as read, not mapped");
    }
    Chunk c = new Chunk(range, seq, last, lastKey, rowsRead, keptSource, mappedRows, allRejected);
    c.ticket = ticket;
    return c;
  }

  /** This chunk, counted in {@code inFlight} until {@link #release} (or until unreachable). */
  public Chunk tracked(InFlight inFlight, long bytes) {
    ticket = inFlight.track(bytes);
    return this;
  }

  /** Ends the chunk's count in {@link InFlight}, if it has one: it has been written. */
  public void release() {
    if (ticket != null) {
      ticket.release();
    }
  }

  public int range() {
    return range;
  }

  public long seq() {
    return seq;
  }

  public boolean last() {
    return last;
  }

  /** The encoded key ({@link KeyCodec}) of the chunk's last row read, or null when empty. */
  public String lastKey() {
    return lastKey;
  }

  /** Rows read from the source for this chunk, including those rejected since. */
  public long rowsRead() {
    return rowsRead;
  }

  public List<Record> source() {
    return source;
  }

  public List<Record> target() {
    return target;
  }

  public List<DeadLetter> rejected() {
    return rejected;
  }

  /** The rows as COPY text, or null when they are in {@link #source()}. */
  public CopyTextRows copyText() {
    return copyText;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Chunk)) {
      return false;
    }
    Chunk c = (Chunk) o;
    return range == c.range
        && seq == c.seq
        && last == c.last
        && rowsRead == c.rowsRead
        && java.util.Objects.equals(lastKey, c.lastKey)
        && source.equals(c.source)
        && java.util.Objects.equals(target, c.target)
        && rejected.equals(c.rejected)
        && java.util.Objects.equals(copyText, c.copyText);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(range, seq, last, lastKey, rowsRead, source.size());
  }

  @Override
  public String toString() {
    return "Chunk{range=" + range + ", seq=" + seq + (last ? ", last" : "") + ", rows="
        + (copyText != null ? copyText.rows() + " as COPY text" : source.size())
        + ", rejected=" + rejected.size() + "}";
  }
}
