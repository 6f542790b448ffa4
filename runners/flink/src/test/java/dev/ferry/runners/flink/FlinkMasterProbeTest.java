package dev.ferry.runners.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.job.ExitCodes;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * An unreachable {@code --flinkMaster} stops the command before planning, with a message that
 * names the address, instead of failing at submission after the Flink client's retries.
 */
class FlinkMasterProbeTest {
  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aClosedPortIsReportedAndTheCommandFails() throws Exception {
    int port = closedPort();
    String problem = FlinkMasterProbe.problem("127.0.0.1:" + port, 2_000);
    assertNotNull(problem);
    assertTrue(problem.contains("127.0.0.1:" + port + " cannot be reached"), problem);
    // No spec, no databases: the probe runs before anything else.
    assertEquals(ExitCodes.FAILED, FerryFlink.run(new String[] {"backfill",
        "--flinkMaster=127.0.0.1:" + port, "--spec=/nonexistent.yaml"}));
  }

  @Test
  void anOpenPortAndTheBuiltInMastersPass() throws Exception {
    try (ServerSocket open = new ServerSocket(0)) {
      assertNull(FlinkMasterProbe.problem("http://127.0.0.1:" + open.getLocalPort(), 2_000));
      assertNull(FlinkMasterProbe.problem("127.0.0.1:" + open.getLocalPort(), 2_000));
    }
    assertNull(FlinkMasterProbe.problem("[local]", 2_000));
    assertNull(FlinkMasterProbe.problem("[auto]", 2_000));
    assertNull(FlinkMasterProbe.problem(null, 2_000));
  }
}
