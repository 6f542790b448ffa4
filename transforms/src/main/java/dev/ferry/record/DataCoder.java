package dev.ferry.record;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * A deterministic Beam coder written with {@link DataOutputStream}: ferry's values, chunks,
 * digests and outcomes. Every field is written with its own length, so an element encodes the
 * same in any context.
 */
public abstract class DataCoder<T> extends AtomicCoder<T> {
  protected abstract void write(T value, DataOutputStream out) throws IOException;

  protected abstract T read(DataInputStream in) throws IOException;

  @Override
  public final void encode(T value, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    write(value, out);
    out.flush();
  }

  @Override
  public final T decode(InputStream inStream) throws IOException {
    return read(new DataInputStream(inStream));
  }

  @Override
  public void verifyDeterministic() {}
}
