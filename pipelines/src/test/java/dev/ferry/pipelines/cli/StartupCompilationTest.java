package dev.ferry.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class StartupCompilationTest {
  @Test
  void hotSpotAcceptsEveryPatternOfTheDirective() {
    // HotSpot reports a bad pattern in its answer, and skips it, instead of failing the call.
    String answer = StartupCompilation.addDirective();
    assertEquals("1 compiler directives added", answer.trim().replaceAll("\\s+", " "));
  }

  @Test
  void thePerRowCodeKeepsC2() {
    for (String pattern : StartupCompilation.STARTUP_ONLY) {
      for (String hot : new String[] {"dev/", "org/postgresql/", "org/mariadb/", "java/lang/String",
          "java/util/*", "java/util/HashMap", "com/fasterxml/", "java/lang/invoke/"}) {
        assertFalse(pattern.startsWith(hot), pattern + " is per-row code");
      }
    }
  }
}
