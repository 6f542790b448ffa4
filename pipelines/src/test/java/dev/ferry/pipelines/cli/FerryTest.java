package dev.ferry.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.pipelines.job.ExitCodes;
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

  @Test
  void helpOfACommandListsFerrysOwnFlagsGrouped() {
    java.io.PrintStream out = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      code = Ferry.run(new String[] {"reconcile", "--help"});
    } finally {
      System.setOut(out);
    }
    String help = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, code, help);
    // The command's own flags first, then the backfill's it shares, by what they configure.
    org.junit.jupiter.api.Assertions.assertTrue(help.indexOf("(ReconcileOptions)")
        < help.indexOf("source (BackfillOptions)"), help);
    for (String expected : List.of("  --fastPath", "  --sourceUrl=<String>",
        "Rows per chunk (one write transaction and checkpoint). Default 1000;",
        "target (BackfillOptions)", "catch-up (BackfillOptions)")) {
      org.junit.jupiter.api.Assertions.assertTrue(help.contains(expected), expected + "\n"
          + help);
    }
    // Not Beam's list of every registered options interface.
    org.junit.jupiter.api.Assertions.assertFalse(help.contains("DirectOptions"), help);
  }

  @Test
  void deadLettersNeedAnActionFirst() {
    assertEquals(ExitCodes.INVALID, Ferry.run(new String[] {"deadletters", "--spec=job.yaml"}));
    assertEquals(ExitCodes.INVALID, Ferry.run(new String[] {"deadletters", "forget",
        "--spec=job.yaml"}));
    // The action word is not taken for a flag: the missing spec is what is reported.
    assertEquals(ExitCodes.INVALID, Ferry.run(new String[] {"deadletters", "list",
        "--spec=/nonexistent/job.yaml"}));
  }
}
