package dev.ferry.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The command may come as --command=<name>, as schedulers that pass only flags give it. */
class FerryTest {
  @Test
  void aCommandFlagBecomesTheCommandWord() {
    assertEquals(List.of("backfill", "--runner=DirectRunner", "--spec=a.yaml"),
        List.of(Ferry.commandFirst(new String[] {"--runner=DirectRunner", "--spec=a.yaml",
            "--command=backfill"})));
    // a leading word is the command; a flag of the same name further on is not looked at
    assertEquals(List.of("reconcile", "--spec=a.yaml"),
        List.of(Ferry.commandFirst(new String[] {"reconcile", "--spec=a.yaml"})));
  }

  @Test
  void anUnknownCommandFlagIsRejectedLikeAnUnknownWord() {
    assertEquals(2, Ferry.run(new String[] {"--runner=DirectRunner", "--command=copy"}));
  }
}
