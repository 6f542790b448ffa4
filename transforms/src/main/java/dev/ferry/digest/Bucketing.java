package dev.ferry.digest;

import dev.ferry.jdbc.Dialect;
import java.io.Serializable;

/**
 * Splits key ranges into small buckets whose digests are compared, so that a few changed rows
 * in a big table send only their buckets, not their whole ranges, to the row-level join.
 *
 * <p>A key whose leading column is an integer is bucketed by that column's value
 * ({@code key / width}, truncating, the same in Java, PostgreSQL and MySQL), so a bucket is a
 * contiguous interval of the key order that an index range scan reads back, and the databases
 * compute it from the column itself, without hashing the key. Any other key is bucketed by a hash
 * of its canonical text modulo a bucket count; reading such a bucket back scans its key range.
 */
public final class Bucketing implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long width;
  private final int buckets;

  private Bucketing(long width, int buckets) {
    this.width = width;
    this.buckets = buckets;
  }

  /** Keys led by an integer column: bucket {@code leading column / width}. */
  public static Bucketing byKeyValue(long width) {
    if (width < 1) {
      throw new IllegalArgumentException("bucket width must be at least 1, got " + width);
    }
    return new Bucketing(width, 0);
  }

  /** Other keys: bucket {@code hash(canonical key) mod buckets}. */
  public static Bucketing byKeyHash(int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("bucket count must be at least 1, got " + buckets);
    }
    return new Bucketing(0, buckets);
  }

  public boolean byValue() {
    return width > 0;
  }

  public long width() {
    return width;
  }

  public int buckets() {
    return buckets;
  }

  /**
   * The bucket of a row from its canonical key ({@link RowCanonicalizer#key}). By value, the
   * leading column's text is read by its encoded length; a key with a NULL anywhere is in bucket
   * 0, as the SQL puts the whole NULL-key range in one bucket.
   */
  public long bucketOf(String canonicalKey) {
    if (byValue()) {
      if (canonicalKey.charAt(0) != 'n') {
        return 0;
      }
      int end = CanonicalColumn.elementEnd(canonicalKey, 0);
      if (CanonicalColumn.hasNull(canonicalKey, end)) {
        return 0;
      }
      return Long.parseLong(canonicalKey.substring(canonicalKey.indexOf(':') + 1, end)) / width;
    }
    if (buckets == 1) {
      return 0;
    }
    byte[] h = Hashes.md5(canonicalKey);
    // The first 28 bits, as the SQL form takes the first 7 hex digits: positive on both engines.
    long top = ((h[0] & 0xFFL) << 20) | ((h[1] & 0xFFL) << 12) | ((h[2] & 0xFFL) << 4)
        | ((h[3] & 0xFFL) >>> 4);
    return top % buckets;
  }

  /**
   * The bucket as SQL: {@code keyColumn} is the integer key column (value bucketing),
   * {@code canonicalKey} the SQL of the key's canonical encoding (hash bucketing).
   */
  public String sql(Dialect dialect, String keyColumn, String canonicalKey) {
    if (byValue()) {
      return dialect == Dialect.MYSQL ? "(" + keyColumn + " DIV " + width + ")"
          : "(" + keyColumn + " / " + width + ")";
    }
    if (dialect == Dialect.MYSQL) {
      return "(CONV(SUBSTRING(MD5(" + canonicalKey + "), 1, 7), 16, 10) % " + buckets + ")";
    }
    return "(('x' || substr(md5(" + canonicalKey + "), 1, 7))::bit(28)::int % " + buckets + ")";
  }

  /** The smallest and largest key of a value bucket: {@code key / width == bucket} inverted. */
  public long[] bounds(long bucket) {
    if (!byValue()) {
      throw new IllegalStateException("hash buckets have no key bounds");
    }
    long base = bucket * width;
    if (bucket > 0) {
      return new long[] {base, saturatedAdd(base, width - 1)};
    }
    if (bucket < 0) {
      return new long[] {saturatedAdd(base, -(width - 1)), base};
    }
    return new long[] {-(width - 1), width - 1};
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bucketing && width == ((Bucketing) o).width
        && buckets == ((Bucketing) o).buckets;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(width) * 31 + buckets;
  }

  @Override
  public String toString() {
    return byValue() ? "key / " + width : "hash(key) mod " + buckets;
  }
}
