package dev.ferry.digest;

import dev.ferry.record.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;

/**
 * An order-independent checksum of a set of rows: how many there are and the sums, modulo
 * 2^64, of the two 64-bit lanes of their 128-bit row hashes. Adding is commutative and
 * associative, so a table's digest is the same whatever order or partitioning it was read in,
 * and a table's digest is the sum of its ranges' digests. A row counted twice changes the
 * count, a missing or changed row changes the sums.
 */
public final class Digest implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Digest EMPTY = new Digest(0, 0, 0);

  private final long count;
  private final long lane1;
  private final long lane2;

  public Digest(long count, long lane1, long lane2) {
    this.count = count;
    this.lane1 = lane1;
    this.lane2 = lane2;
  }

  public static Digest empty() {
    return EMPTY;
  }

  public static Digest ofRow(long lane1, long lane2) {
    return new Digest(1, lane1, lane2);
  }

  public Digest plus(Digest other) {
    return new Digest(count + other.count, lane1 + other.lane1, lane2 + other.lane2);
  }

  public long count() {
    return count;
  }

  public long lane1() {
    return lane1;
  }

  public long lane2() {
    return lane2;
  }

  /** The 128-bit sum as 32 hex digits. */
  public String checksum() {
    return hex(lane1, lane2);
  }

  static String hex(long lane1, long lane2) {
    return String.format("%016x%016x", lane1, lane2);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Digest)) {
      return false;
    }
    Digest d = (Digest) o;
    return count == d.count && lane1 == d.lane1 && lane2 == d.lane2;
  }

  @Override
  public int hashCode() {
    return Objects.hash(count, lane1, lane2);
  }

  @Override
  public String toString() {
    return count + " rows, checksum " + checksum();
  }

  /** Beam coder for {@link Digest}. */
  public static final class Coder extends DataCoder<Digest> {
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    protected void write(Digest d, DataOutputStream out) throws IOException {
      out.writeLong(d.count);
      out.writeLong(d.lane1);
      out.writeLong(d.lane2);
    }

    @Override
    protected Digest read(DataInputStream in) throws IOException {
      return new Digest(in.readLong(), in.readLong(), in.readLong());
    }
  }
}
