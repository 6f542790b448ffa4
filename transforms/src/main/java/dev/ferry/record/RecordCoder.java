package dev.ferry.record;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Beam coder for {@link Record}: a value count followed by each value in {@link ValueCodec}. */
public final class RecordCoder extends DataCoder<Record> {
  private static final RecordCoder INSTANCE = new RecordCoder();

  private RecordCoder() {}

  public static RecordCoder of() {
    return INSTANCE;
  }

  @Override
  protected void write(Record value, DataOutputStream out) throws IOException {
    writeValues(value.values(), out);
  }

  @Override
  protected Record read(DataInputStream in) throws IOException {
    return new Record(readValues(in));
  }

  static void writeValues(Object[] values, DataOutputStream out) throws IOException {
    out.writeInt(values.length);
    for (Object v : values) {
      ValueCodec.write(v, out);
    }
  }

  static Object[] readValues(DataInputStream in) throws IOException {
    Object[] values = new Object[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = ValueCodec.read(in);
    }
    return values;
  }
}
