package dev.ferry.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerDefaultsTest {
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  @Test
  void copiesGetFourThreadsPerCoreAndAtLeastEight() {
    assertEquals(List.of("--spec=a.yaml", "--enforceImmutability=false",
            "--enforceEncodability=false", "--targetParallelism=" + Math.max(8, 4 * CORES)),
        List.of(RunnerDefaults.apply(new String[] {"--spec=a.yaml"})));
  }

  @Test
  void computeBoundCommandsGetOneThreadPerCore() {
    assertEquals("--targetParallelism=" + CORES,
        RunnerDefaults.apply(new String[] {"--spec=a.yaml"}, true)[3]);
  }

  @Test
  void theUsersFlagsWinAndOtherRunnersGetNothing() {
    String[] mine = {"--targetParallelism=3", "--enforceImmutability", "--enforceEncodability=true"};
    assertArrayEquals(mine, RunnerDefaults.apply(mine, true));
    String[] flink = {"--runner=FlinkRunner"};
    assertArrayEquals(flink, RunnerDefaults.apply(flink));
  }
}
