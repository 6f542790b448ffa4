package dev.ferry.reconcile;

import dev.ferry.record.DataCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The verdict on one key that is not a match: its class, how many rows each side has, the
 * compared columns that differ (mismatches) and, for a source row the mapping rejected, the
 * rejecting column. The key is canonical text ({@link dev.ferry.digest.RowCanonicalizer#key}).
 */
public final class KeyOutcome implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final KeyClass kind;
  private final int sourceRows;
  private final int targetRows;
  private final List<String> columns;
  private final String rejectedColumn;

  public KeyOutcome(String key, KeyClass kind, int sourceRows, int targetRows,
      List<String> columns, String rejectedColumn) {
    this.key = Objects.requireNonNull(key, "key");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.sourceRows = sourceRows;
    this.targetRows = targetRows;
    this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
    this.rejectedColumn = rejectedColumn;
  }

  public String key() {
    return key;
  }

  public KeyClass kind() {
    return kind;
  }

  public int sourceRows() {
    return sourceRows;
  }

  public int targetRows() {
    return targetRows;
  }

  /** Differing compared columns (mismatches only), in column order. */
  public List<String> columns() {
    return columns;
  }

  /** The column at which the source mapping rejected the row, or null. */
  public String rejectedColumn() {
    return rejectedColumn;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeyOutcome)) {
      return false;
    }
    KeyOutcome k = (KeyOutcome) o;
    return key.equals(k.key) && kind == k.kind && sourceRows == k.sourceRows
        && targetRows == k.targetRows && columns.equals(k.columns)
        && Objects.equals(rejectedColumn, k.rejectedColumn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, kind, sourceRows, targetRows, columns);
  }

  @Override
  public String toString() {
    return kind.label() + " " + key + " (" + sourceRows + "/" + targetRows + ")"
        + (columns.isEmpty() ? "" : " " + columns)
        + (rejectedColumn == null ? "" : " rejected at " + rejectedColumn);
  }

  /** Beam coder for {@link KeyOutcome}. */
  public static final class Coder extends DataCoder<KeyOutcome> {
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    protected void write(KeyOutcome o, DataOutputStream out) throws IOException {
      writeString(out, o.key);
      out.writeByte(o.kind.ordinal());
      out.writeInt(o.sourceRows);
      out.writeInt(o.targetRows);
      out.writeInt(o.columns.size());
      for (String c : o.columns) {
        writeString(out, c);
      }
      out.writeBoolean(o.rejectedColumn != null);
      if (o.rejectedColumn != null) {
        writeString(out, o.rejectedColumn);
      }
    }

    @Override
    protected KeyOutcome read(DataInputStream in) throws IOException {
      String key = readString(in);
      KeyClass kind = KeyClass.values()[in.readByte()];
      int sourceRows = in.readInt();
      int targetRows = in.readInt();
      int n = in.readInt();
      List<String> columns = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        columns.add(readString(in));
      }
      String rejected = in.readBoolean() ? readString(in) : null;
      return new KeyOutcome(key, kind, sourceRows, targetRows, columns, rejected);
    }

    // Keys can be long text, beyond writeUTF's 64 KiB.
    private static void writeString(DataOutputStream out, String s) throws IOException {
      byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.writeInt(bytes.length);
      out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
