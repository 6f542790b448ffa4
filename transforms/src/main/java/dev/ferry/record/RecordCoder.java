package dev.ferry.record;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** Beam coder for {@link Record}: a value count followed by each value in {@link ValueCodec}. */
public final class RecordCoder extends AtomicCoder<Record> {
  private static final RecordCoder INSTANCE = new RecordCoder();

  private RecordCoder() {}

  public static RecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Record value, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    writeValues(value.values(), out);
    out.flush();
  }

  @Override
  public Record decode(InputStream inStream) throws IOException {
    return new Record(readValues(new DataInputStream(inStream)));
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

  @Override
  public void verifyDeterministic() {}
}
