package dev.ferry.reconcile;

import dev.ferry.digest.RowDigest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.values.KV;

/**
 * Joins the two sides of a key range by merging their rows, each side sorted by its range key in
 * binary order ({@link BinaryKeyOrder}): only the rows of the current key are held, whatever the
 * range's size. Consecutive rows with the same canonical key form one group (a duplicate key is
 * a group of several rows); a key on one side only goes to {@link Joined#sourceOnly} or
 * {@link Joined#targetOnly}. A side whose keys arrive out of order fails the merge, since a key
 * seen again later could not be joined with its earlier rows.
 */
final class SortedMerge {
  /** One side's sorted rows, pulled one at a time. */
  interface Rows {
    /** Moves to the next row; false after the last. */
    boolean next() throws SQLException;

    /** The current row's range key as read, which the side is sorted by. */
    Object[] rangeKey();

    /** The current row's canonical key and digest. */
    KV<String, RowDigest> digest();
  }

  /** Receives the join's result key by key. */
  interface Joined {
    void both(String key, List<RowDigest> source, List<RowDigest> target);

    void sourceOnly(KV<String, RowDigest> row);

    void targetOnly(KV<String, RowDigest> row);
  }

  private SortedMerge() {}

  /** Merges both sides to the end; {@code range} names the range in errors. */
  static void merge(Rows source, Rows target, String range, Joined out) throws SQLException {
    Groups s = new Groups(source, "source", range);
    Groups t = new Groups(target, "target", range);
    boolean moreSource = s.advance();
    boolean moreTarget = t.advance();
    while (moreSource || moreTarget) {
      int c = !moreSource ? 1 : !moreTarget ? -1 : BinaryKeyOrder.KEYS.compare(s.order, t.order);
      if (c == 0 && s.key.equals(t.key)) {
        out.both(s.key, s.digests, t.digests);
        moreSource = s.advance();
        moreTarget = t.advance();
      } else if (c < 0 || c == 0 && s.key.compareTo(t.key) < 0) {
        s.digests.forEach(d -> out.sourceOnly(KV.of(s.key, d)));
        moreSource = s.advance();
      } else {
        t.digests.forEach(d -> out.targetOnly(KV.of(t.key, d)));
        moreTarget = t.advance();
      }
    }
  }

  /** The rows of one side, read a key at a time with one row of look-ahead. */
  private static final class Groups {
    private final Rows rows;
    private final String side;
    private final String range;
    private boolean pending;
    private KV<String, RowDigest> nextRow;
    private Object[] nextOrder;
    String key;
    Object[] order;
    List<RowDigest> digests;

    Groups(Rows rows, String side, String range) throws SQLException {
      this.rows = rows;
      this.side = side;
      this.range = range;
      pull();
    }

    private void pull() throws SQLException {
      pending = rows.next();
      if (pending) {
        nextRow = rows.digest();
        nextOrder = rows.rangeKey();
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
      key = nextRow.getKey();
      order = nextOrder;
      digests = new ArrayList<>(1);
      digests.add(nextRow.getValue());
      for (pull(); pending && nextRow.getKey().equals(key); pull()) {
        digests.add(nextRow.getValue());
      }
      return true;
    }
  }
}
