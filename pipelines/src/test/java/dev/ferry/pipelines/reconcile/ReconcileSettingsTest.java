package dev.ferry.pipelines.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.pipelines.spec.SpecException;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class ReconcileSettingsTest {
  private static ReconcileSettings settings(String... args) {
    return ReconcileSettings.from(PipelineOptionsFactory.fromArgs(args)
        .as(ReconcileOptions.class));
  }

  @Test
  void checksumsRunOnFourConnectionsPerSideUnlessTold() {
    assertEquals(4, settings().checksumConnections);
    assertEquals(1, settings("--checksumConnections=1").checksumConnections);
  }

  @Test
  void checksumConnectionsMustBeAtLeastOne() {
    SpecException e = assertThrows(SpecException.class,
        () -> settings("--checksumConnections=0"));
    assertEquals("flags: checksumConnections: must be at least 1, got 0", e.getMessage());
  }
}
