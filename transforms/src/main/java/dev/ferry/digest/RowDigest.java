package dev.ferry.digest;

import dev.ferry.record.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the reconciliation join needs of one row, instead of the row: where it was read (key
 * range and bucket), its 128-bit row hash as two 64-bit lanes, a 32-bit hash per compared column
 * to name the columns that differ, and, for columns compared within a float tolerance, their
 * values. A row the source mapping rejected carries the rejecting column instead of hashes. A
 * few dozen bytes whatever the row's width, so the join's shuffle stays small.
 */
public final class RowDigest implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int range;
  private final long bucket;
  private final long lane1;
  private final long lane2;
  private final int[] columnHashes;
  private final double[] approx;
  private final String rejectedColumn;

  RowDigest(int range, long bucket, long lane1, long lane2, int[] columnHashes, double[] approx,
      String rejectedColumn) {
    this.range = range;
    this.bucket = bucket;
    this.lane1 = lane1;
    this.lane2 = lane2;
    this.columnHashes = columnHashes;
    this.approx = approx;
    this.rejectedColumn = rejectedColumn;
  }

  public int range() {
    return range;
  }

  public long bucket() {
    return bucket;
  }

  /** This row's contribution to a table or range digest. */
  public Digest asDigest() {
    return Digest.ofRow(lane1, lane2);
  }

  /** The column whose mapping rule rejected the source row, or null for a mapped row. */
  public String rejectedColumn() {
    return rejectedColumn;
  }

  /**
   * Positions of the compared columns that differ from {@code other}'s; empty when the rows are
   * equal. Columns compared within a tolerance differ only when both are numbers further apart
   * than {@code tolerance}, or when one is not a number and their hashes differ.
   */
  public int[] differingColumns(RowDigest other, double tolerance) {
    if (lane1 == other.lane1 && lane2 == other.lane2) {
      return new int[0];
    }
    List<Integer> differ = new ArrayList<>();
    for (int i = 0; i < columnHashes.length && i < other.columnHashes.length; i++) {
      if (columnHashes[i] == other.columnHashes[i]) {
        continue;
      }
      if (approx != null && other.approx != null) {
        double a = approx[i];
        double b = other.approx[i];
        if (Double.isFinite(a) && Double.isFinite(b) && Math.abs(a - b) <= tolerance) {
          continue;
        }
      }
      differ.add(i);
    }
    return differ.stream().mapToInt(Integer::intValue).toArray();
  }

  /** True when both rows' hashes are equal in every lane: the rows are the same. */
  public boolean sameHash(RowDigest other) {
    return lane1 == other.lane1 && lane2 == other.lane2;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RowDigest)) {
      return false;
    }
    RowDigest d = (RowDigest) o;
    return range == d.range && bucket == d.bucket && lane1 == d.lane1 && lane2 == d.lane2
        && Arrays.equals(columnHashes, d.columnHashes) && Arrays.equals(approx, d.approx)
        && Objects.equals(rejectedColumn, d.rejectedColumn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(range, bucket, lane1, lane2);
  }

  @Override
  public String toString() {
    return "RowDigest{range=" + range + ", bucket=" + bucket + ", hash="
        + Digest.hex(lane1, lane2) + (rejectedColumn == null ? "" : ", rejected at "
        + rejectedColumn) + "}";
  }

  /** Beam coder for {@link RowDigest}. */
  public static final class Coder extends DataCoder<RowDigest> {
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    protected void write(RowDigest d, DataOutputStream out) throws IOException {
      out.writeInt(d.range);
      out.writeLong(d.bucket);
      out.writeLong(d.lane1);
      out.writeLong(d.lane2);
      out.writeInt(d.columnHashes.length);
      for (int h : d.columnHashes) {
        out.writeInt(h);
      }
      out.writeBoolean(d.approx != null);
      if (d.approx != null) {
        for (double a : d.approx) {
          out.writeDouble(a);
        }
      }
      out.writeBoolean(d.rejectedColumn != null);
      if (d.rejectedColumn != null) {
        out.writeUTF(d.rejectedColumn);
      }
    }

    @Override
    protected RowDigest read(DataInputStream in) throws IOException {
      int range = in.readInt();
      long bucket = in.readLong();
      long lane1 = in.readLong();
      long lane2 = in.readLong();
      int[] hashes = new int[in.readInt()];
      for (int i = 0; i < hashes.length; i++) {
        hashes[i] = in.readInt();
      }
      double[] approx = null;
      if (in.readBoolean()) {
        approx = new double[hashes.length];
        for (int i = 0; i < approx.length; i++) {
          approx[i] = in.readDouble();
        }
      }
      String rejected = in.readBoolean() ? in.readUTF() : null;
      return new RowDigest(range, bucket, lane1, lane2, hashes, approx, rejected);
    }
  }
}
