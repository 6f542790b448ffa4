package dev.ferry.digest;

import dev.ferry.record.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;

/**
 * An order-independent checksum of a set of rows: how many there are and the sums, modulo
 * 2^64, of the two 64-bit lanes of their 128-bit row hashes. Adding is commutative and
 * associative, so a table's digest is the same whatever order or partitioning it was read in,
 * and a table's digest is the sum of its ranges' digests. A row counted twice changes the
 * count, a missing or changed row changes the sums.
 */
public record Digest(long count, long lane1, long lane2) implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Digest EMPTY = new Digest(0, 0, 0);

  public static Digest empty() {
    return EMPTY;
  }

  public static Digest ofRow(long lane1, long lane2) {
    return new Digest(1, lane1, lane2);
  }

  public Digest plus(Digest other) {
    return new Digest(count + other.count, lane1 + other.lane1, lane2 + other.lane2);
  }

  /** The 128-bit sum as 32 hex digits. */
  public String checksum() {
    return hex(lane1, lane2);
  }

  static String hex(long lane1, long lane2) {
    return String.format("%016x%016x", lane1, lane2);
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
