package dev.ferry.reconcile;

import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class KeyOutcomeCoderTest {
  @Test
  void everyKeyClassRoundTrips() throws Exception {
    for (KeyClass kind : KeyClass.values()) {
      KeyOutcome outcome = new KeyOutcome("{\"id\":\"ü\"}", kind, 1, 2,
          List.of("amount", "note"), kind == KeyClass.MISSING ? "amount" : null);
      CoderProperties.coderDecodeEncodeEqual(KeyOutcome.Coder.of(), outcome);
      CoderProperties.coderDeterministic(KeyOutcome.Coder.of(), outcome,
          new KeyOutcome(outcome.key(), kind, 1, 2, outcome.columns(), outcome.rejectedColumn()));
    }
    CoderProperties.coderSerializable(KeyOutcome.Coder.of());
  }
}
