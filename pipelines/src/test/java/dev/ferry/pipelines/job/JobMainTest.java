package dev.ferry.pipelines.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobMainTest {
  @Test
  void theJobGetsItsParsedOptionsAndTheProcessSecrets() {
    String outcome = JobMain.run(new String[] {"--sourceUrl=jdbc:postgresql://h/db"},
        ConnectionOptions.class,
        (options, secrets) -> options.getSourceUrl() + " " + (secrets != null),
        message -> "invalid: " + message);
    assertEquals("jdbc:postgresql://h/db true", outcome);
  }

  @Test
  void aFlagBeamRefusesIsTheJobsInvalidOutcomeAndNothingRuns() {
    String outcome = JobMain.run(new String[] {"--noSuchFlag=1"}, ChunkOptions.class,
        (options, secrets) -> "ran", message -> "invalid: " + message);
    assertTrue(outcome.startsWith("invalid: ") && outcome.contains("noSuchFlag"), outcome);
  }
}
