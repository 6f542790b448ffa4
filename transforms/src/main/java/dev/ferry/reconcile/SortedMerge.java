package dev.ferry.reconcile;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joins the two sides of a key range by merging their rows, each side sorted by its range key in
 * binary order ({@link BinaryKeyOrder}): only the rows of the current key are held, whatever the
 * range's size. The rows are digests or row hashes ({@code R}). Consecutive rows with the same
 * canonical key form one group (a duplicate key is a group of several rows); a key on one side
 * only goes to {@link Joined#sourceOnly} or {@link Joined#targetOnly}. A side whose keys arrive out of order fails the merge, since a key
 * seen again later could not be joined with its earlier rows.
 */
final class SortedMerge {
  /** One side's sorted rows of type {@code R}, pulled one at a time. */
  interface Rows<R> {
    /** Moves to the next row; false after the last. */
    boolean next() throws SQLException;

    /** The current row's range key as read, which the side is sorted by. */
    Object[] rangeKey();

    /** The current row's canonical key. */
    String key();

    /** The current row. */
    R row();
  }

  /** Receives the join's result key by key. */
  interface Joined<R> {
    void both(String key, List<R> source, List<R> target) throws Exception;

    void sourceOnly(String key, R row) throws Exception;

    void targetOnly(String key, R row) throws Exception;
  }

  private SortedMerge() {}

  /** Merges both sides to the end; {@code range} names the range in errors. */
  static <R> void merge(Rows<R> source, Rows<R> target, String range, Joined<R> out)
      throws Exception {
    Groups<R> s = new Groups<>(source, "source", range);
    Groups<R> t = new Groups<>(target, "target", range);
    boolean moreSource = s.advance();
    boolean moreTarget = t.advance();
    while (moreSource || moreTarget) {
      int c = !moreSource ? 1 : !moreTarget ? -1 : BinaryKeyOrder.KEYS.compare(s.order, t.order);
      if (c == 0 && s.key.equals(t.key)) {
        out.both(s.key, s.rows, t.rows);
        moreSource = s.advance();
        moreTarget = t.advance();
      } else if (c < 0 || c == 0 && s.key.compareTo(t.key) < 0) {
        for (R row : s.rows) {
          out.sourceOnly(s.key, row);
        }
        moreSource = s.advance();
      } else {
        for (R row : t.rows) {
          out.targetOnly(t.key, row);
        }
        moreTarget = t.advance();
      }
    }
  }

  /** The rows of one side, read a key at a time with one row of look-ahead. */
  private static final class Groups<R> {
    private final Rows<R> source;
    private final String side;
    private final String range;
    private boolean pending;
    private String nextKey;
    private R nextRow;
    private Object[] nextOrder;
    String key;
    Object[] order;
    List<R> rows;

    Groups(Rows<R> source, String side, String range) throws SQLException {
      this.source = source;
      this.side = side;
      this.range = range;
      pull();
    }

    private void pull() throws SQLException {
      pending = source.next();
      if (pending) {
        nextKey = source.key();
        nextRow = source.row();
        nextOrder = source.rangeKey();
      }
    }

    /** Moves to the next key and collects its rows; false when there is none. */
    boolean advance() throws SQLException {
      if (!pending) {
        return false;
      }
      if (order != null && BinaryKeyOrder.KEYS.compare(order, nextOrder) > 0) {
        throw new IllegalStateException("the " + side + " rows of " + range + " are not sorted"
            + " by key: " + Arrays.toString(nextOrder) + " came after " + Arrays.toString(order)
            + "; the sorted join needs both engines to order the key alike");
      }
      key = nextKey;
      order = nextOrder;
      rows = new ArrayList<>(1);
      rows.add(nextRow);
      for (pull(); pending && nextKey.equals(key); pull()) {
        rows.add(nextRow);
      }
      return true;
    }
  }
}
