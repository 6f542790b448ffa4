package dev.ferry.profile;

import java.io.Serializable;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StructuralByteArray;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Java serialization for the profile's partial states and result, compared by their encoded
 * bytes. {@link SerializableCoder} compares elements with {@code equals}, which accumulators
 * (sketches, histograms) have no use for, and warns about every one of them; a few dozen partial
 * profiles per run make serialization's cost irrelevant.
 */
public final class SerializedCoder<T extends Serializable> extends SerializableCoder<T> {
  private static final long serialVersionUID = 1L;

  private SerializedCoder(Class<T> type) {
    super(type, TypeDescriptor.of(type));
  }

  public static <T extends Serializable> SerializedCoder<T> of(Class<T> type) {
    return new SerializedCoder<>(type);
  }

  @Override
  public boolean consistentWithEquals() {
    return false;
  }

  @Override
  public Object structuralValue(T value) {
    try {
      return new StructuralByteArray(CoderUtils.encodeToByteArray(this, value));
    } catch (CoderException e) {
      throw new IllegalArgumentException("cannot encode " + getRecordType().getSimpleName(), e);
    }
  }
}
