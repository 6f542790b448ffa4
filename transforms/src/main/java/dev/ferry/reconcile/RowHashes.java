package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.Digest;
import dev.ferry.digest.RowCanonicalizer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One side's keys of a range and their 64-bit row hashes computed in SQL
 * ({@link PushdownPlan#rowHashSql}), sorted by key: what the full comparison merges when the
 * database can hash rows, instead of reading and canonicalizing every value. Sums the hashes into
 * the range's digest as they stream by, the same way the fast path's SQL sums its buckets.
 */
final class RowHashes implements SortedMerge.Rows<Long>, AutoCloseable {
  private static final long PIECE = 0x7FFF_FFFFL;

  private final RowReader.Cursor cursor;
  private final RowCanonicalizer canonicalizer;
  private final int keyCount;
  private Object[] keyValues;
  private String key;
  private long hash;
  private long rows;
  private long lane1;
  private long lane2;

  private RowHashes(RowReader.Cursor cursor, RowCanonicalizer canonicalizer, int keyCount) {
    this.cursor = cursor;
    this.canonicalizer = canonicalizer;
    this.keyCount = keyCount;
  }

  /**
   * Opens a range, or only its selected value buckets, on the side that {@code reader}
   * ({@link RowReader#keysWithHash}) reads. Selected buckets must be value buckets: their key
   * intervals ascend with the bucket, so one sorted query reads them all in key order.
   */
  static RowHashes open(RowReader reader, KeyPredicates keys, RangeSelection selection,
      Bucketing bucketing, RowCanonicalizer canonicalizer, int fetchSize) throws SQLException {
    List<Object> params = new ArrayList<>();
    String where = keys.range(selection.range(), params);
    if (!selection.whole()) {
      where += " AND (" + keys.inValueBuckets(bucketing, selection.buckets(), params) + ")";
    }
    return new RowHashes(reader.open(where, params, keys.orderBy(), fetchSize), canonicalizer,
        keys.columns().size());
  }

  @Override
  public boolean next() throws SQLException {
    Object[] values = cursor.next();
    if (values == null) {
      return false;
    }
    keyValues = Arrays.copyOf(values, keyCount);
    key = canonicalizer.keyOf(keyValues);
    hash = (Long) values[keyCount];
    rows++;
    // Two 31-bit pieces summed, as the fast path's SQL sums them.
    lane1 += hash & PIECE;
    lane2 += (hash >> 31) & PIECE;
    return true;
  }

  @Override
  public Object[] rangeKey() {
    return keyValues;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public Long row() {
    return hash;
  }

  long rows() {
    return rows;
  }

  /** The digest of the rows read so far. */
  Digest total() {
    return new Digest(rows, lane1, lane2);
  }

  @Override
  public void close() throws SQLException {
    cursor.close();
  }
}
