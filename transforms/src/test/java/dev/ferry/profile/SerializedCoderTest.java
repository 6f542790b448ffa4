package dev.ferry.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class SerializedCoderTest {
  @Test
  @SuppressWarnings({"rawtypes", "unchecked"})
  void comparesPartialStatesByTheirBytes() throws Exception {
    SerializedCoder<ArrayList> coder = SerializedCoder.of(ArrayList.class);
    ArrayList state = new ArrayList<>(List.of("a", 1L));
    CoderProperties.coderDecodeEncodeEqual(coder, state);
    CoderProperties.structuralValueDecodeEncodeEqual(coder, state);
    CoderProperties.coderSerializable(coder);
    assertEquals(coder.structuralValue(state), coder.structuralValue(new ArrayList<>(state)));
    assertNotEquals(coder.structuralValue(state),
        coder.structuralValue(new ArrayList<>(List.of("a", 2L))));
  }
}
