package dev.ferry.record;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Beam coder for {@link Chunk}. */
public final class ChunkCoder extends DataCoder<Chunk> {
  private static final ChunkCoder INSTANCE = new ChunkCoder();

  private ChunkCoder() {}

  public static ChunkCoder of() {
    return INSTANCE;
  }

  @Override
  protected void write(Chunk chunk, DataOutputStream out) throws IOException {
    out.writeInt(chunk.range());
    out.writeLong(chunk.seq());
    out.writeBoolean(chunk.last());
    writeNullableString(chunk.lastKey(), out);
    out.writeLong(chunk.rowsRead());
    writeRecords(chunk.source(), out);
    out.writeBoolean(chunk.target() != null);
    if (chunk.target() != null) {
      writeRecords(chunk.target(), out);
    }
    out.writeInt(chunk.rejected().size());
    for (DeadLetter d : chunk.rejected()) {
      ValueCodec.writeString(d.key(), out);
      out.writeByte(d.stage().ordinal());
      writeNullableString(d.column(), out);
      ValueCodec.writeString(d.error(), out);
      ValueCodec.writeString(d.sourceRow(), out);
    }
    CopyTextRows copy = chunk.copyText();
    out.writeBoolean(copy != null);
    if (copy != null) {
      out.writeInt(copy.rows());
      out.writeInt(copy.text().length);
      out.write(copy.text());
    }
  }

  @Override
  protected Chunk read(DataInputStream in) throws IOException {
    int range = in.readInt();
    long seq = in.readLong();
    boolean last = in.readBoolean();
    String lastKey = readNullableString(in);
    long rowsRead = in.readLong();
    List<Record> source = readRecords(in);
    List<Record> target = in.readBoolean() ? readRecords(in) : null;
    int n = in.readInt();
    List<DeadLetter> rejected = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String key = ValueCodec.readString(in);
      DeadLetter.Stage stage = DeadLetter.Stage.values()[in.readByte()];
      String column = readNullableString(in);
      String error = ValueCodec.readString(in);
      String row = ValueCodec.readString(in);
      rejected.add(new DeadLetter(key, stage, column, error, row));
    }
    if (in.readBoolean()) {
      int rows = in.readInt();
      byte[] text = new byte[in.readInt()];
      in.readFully(text);
      return Chunk.ofCopyText(range, seq, last, lastKey, new CopyTextRows(text, rows));
    }
    return new Chunk(range, seq, last, lastKey, rowsRead, source, target, rejected);
  }

  private static void writeRecords(List<Record> records, DataOutputStream out) throws IOException {
    out.writeInt(records.size());
    for (Record r : records) {
      RecordCoder.writeValues(r.values(), out);
    }
  }

  private static List<Record> readRecords(DataInputStream in) throws IOException {
    int n = in.readInt();
    List<Record> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      records.add(new Record(RecordCoder.readValues(in)));
    }
    return records;
  }

  private static void writeNullableString(String s, DataOutputStream out) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      ValueCodec.writeString(s, out);
    }
  }

  private static String readNullableString(DataInputStream in) throws IOException {
    return in.readBoolean() ? ValueCodec.readString(in) : null;
  }
}
