package dev.ferry.pipelines.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {
  @Test
  void aFlagsValueIsItsFirstOneAndABareFlagIsTrue() {
    String[] args = {"backfill", "--runner=FlinkRunner", "--restart", "--runner=DirectRunner"};
    assertEquals("FlinkRunner", Flags.value(args, "runner"));
    assertEquals("true", Flags.value(args, "restart"));
    assertNull(Flags.value(args, "run"));
    assertNull(Flags.value(new String[] {"--runnerX=1"}, "runner"));
  }

  @Test
  void aRunnerIsNamedByItsSimpleOrItsClassName() {
    assertTrue(Flags.namesRunner("FlinkRunner", "FlinkRunner"));
    assertTrue(Flags.namesRunner("org.apache.beam.runners.flink.FlinkRunner", "FlinkRunner"));
    assertFalse(Flags.namesRunner("MyFlinkRunner", "FlinkRunner"));
    assertFalse(Flags.namesRunner(null, "FlinkRunner"));
  }

  @Test
  void defaultsAreAddedInOrderOnlyWhereNotGiven() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("b", "2");
    defaults.put("a", "1");
    defaults.put("c", "3");
    assertEquals(List.of("x", "--a=9", "--b=2", "--c=3"),
        List.of(Flags.withDefaults(new String[] {"x", "--a=9"}, defaults)));
  }
}
