package dev.ferry.pipelines.deadletters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.reconcile.ReconcileOptions;
import dev.ferry.pipelines.reconcile.ReconcilePipeline;
import dev.ferry.pipelines.reconcile.ReconcileReport;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * A backfill dead-letters three rows whose text is too long for the target; the user lists
 * them, fixes two in the source and retries (only those rows are read again: two written, one
 * rejected again with the new reason), then accepts the last one: the backfill, which exited 3,
 * now exits 0, and reconcile reports it as accepted instead of missing and exits 0.
 */
class DeadLetterLifecycleTest {
  private static final Secrets NONE = new Secrets(Map.of());

  private static String[] flags(TestDatabase src, TestDatabase dst, String... more) {
    List<String> all = new ArrayList<>(List.of("--job=orders", "--sourceUrl=" + src.jdbcUrl(),
        "--sourceUser=" + src.user(), "--sourceTable=orders", "--targetUrl=" + dst.jdbcUrl(),
        "--targetUser=" + dst.user(), "--targetTable=orders", "--stateSchema=ferry",
        "--partitions=4", "--batchSize=50", "--progressIntervalSeconds=60"));
    all.addAll(Arrays.asList(more));
    return all.toArray(new String[0]);
  }

  private static RunSummary backfill(String[] args) {
    PipelineOptionsFactory.register(BackfillOptions.class);
    return BackfillPipeline.run(PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(BackfillOptions.class), NONE);
  }

  private static ReconcileReport reconcile(String[] args) {
    PipelineOptionsFactory.register(ReconcileOptions.class);
    return ReconcilePipeline.run(PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(ReconcileOptions.class), NONE);
  }

  private static DeadLetterReport deadLetters(String action, String[] args) {
    PipelineOptionsFactory.register(DeadLettersOptions.class);
    return DeadLettersCommand.run(action, PipelineOptionsFactory.fromArgs(args)
        .withValidation().as(DeadLettersOptions.class), NONE);
  }

  @Test
  void listRetryAndAccept() {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)",
        "INSERT INTO orders SELECT g, CASE WHEN g IN (7, 8, 9) THEN repeat('x', 40)"
            + " ELSE 'ok ' || g END FROM generate_series(1, 200) g");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE orders (id int PRIMARY KEY, note varchar(10))");

    RunSummary first = backfill(flags(src, dst));
    assertEquals(ExitCodes.TOO_MANY_DEAD_LETTERS, first.exitCode, first.toConsole());
    assertEquals(3, first.deadLettersOpen);

    DeadLetterReport listed = deadLetters("list", flags(src, dst));
    assertEquals(ExitCodes.OK, listed.exitCode, listed.toConsole());
    assertEquals(List.of("{\"id\":7}", "{\"id\":8}", "{\"id\":9}"),
        listed.deadLetters.stream().map(d -> d.key).toList());
    assertEquals("note", listed.deadLetters.get(0).column, listed.toConsole());
    assertTrue(listed.deadLetters.get(0).error.contains("orders"), listed.toConsole());
    assertTrue(listed.toConsole().contains("{\"id\":7}"), listed.toConsole());

    // Reconcile says how many of the missing rows are dead letters.
    ReconcileReport before = reconcile(flags(src, dst));
    assertEquals(ExitCodes.DIFFERENCES, before.exitCode, before.toConsole());
    assertEquals(3L, before.missingDeadLettered, before.toConsole());
    assertTrue(before.toConsole().contains("3 dead-lettered"), before.toConsole());

    // Two rows fixed in the source; the third now fails for another reason.
    src.execute("UPDATE orders SET note = 'fixed' WHERE id IN (7, 8)",
        "UPDATE orders SET note = repeat('y', 30) WHERE id = 9",
        // A row the retry must not touch: only dead-lettered keys are read again.
        "UPDATE orders SET note = 'changed' WHERE id = 1");
    DeadLetterReport retried = deadLetters("retry", flags(src, dst));
    assertEquals(ExitCodes.TOO_MANY_DEAD_LETTERS, retried.exitCode, retried.toConsole());
    assertEquals(3, retried.retry.keys, retried.toConsole());
    assertEquals(2, retried.retry.rowsWritten, retried.toConsole());
    assertEquals(1, retried.retry.rejectedAgain, retried.toConsole());
    assertEquals(2, retried.retry.removed, retried.toConsole());
    assertEquals(1L, retried.open);
    assertEquals("fixed", dst.scalar("SELECT note FROM orders WHERE id = 7"));
    assertEquals("ok 1", dst.scalar("SELECT note FROM orders WHERE id = 1"));
    List<List<Object>> left = dst.query("SELECT row_key, source_row, run_id"
        + " FROM ferry.ferry_dead_letter");
    assertEquals(1, left.size());
    assertEquals("{\"id\":9}", left.get(0).get(0));
    assertTrue(left.get(0).get(1).toString().contains("yyy"), left.toString());
    assertEquals(retried.retry.runId, left.get(0).get(2));

    DeadLetterReport refused = deadLetters("accept", flags(src, dst));
    assertEquals(ExitCodes.INVALID, refused.exitCode, refused.toConsole());
    DeadLetterReport accepted = deadLetters("accept", flags(src, dst, "--key={\"id\":9}",
        "--note=legacy row, agreed with the shop owner"));
    assertEquals(ExitCodes.OK, accepted.exitCode, accepted.toConsole());
    assertEquals(1L, accepted.accepted);
    assertEquals(0L, accepted.open);

    RunSummary again = backfill(flags(src, dst));
    assertEquals(ExitCodes.OK, again.exitCode, again.toConsole());
    assertEquals(1, again.deadLettersAccepted);
    assertTrue(again.toConsole().contains("0 open, 1 accepted"), again.toConsole());

    src.execute("UPDATE orders SET note = 'ok 1' WHERE id = 1");
    ReconcileReport after = reconcile(flags(src, dst));
    assertEquals(ExitCodes.OK, after.exitCode, after.toConsole());
    assertEquals(1L, after.counts.get("accepted"), after.toConsole());
    assertEquals(0L, after.counts.get("missing"), after.toConsole());
    assertNull(after.missingDeadLettered, after.toConsole());
    assertTrue(after.toConsole().contains("accepted"), after.toConsole());

    DeadLetterReport listedAgain = deadLetters("list", flags(src, dst, "--json"));
    assertEquals("legacy row, agreed with the shop owner", listedAgain.deadLetters.get(0).note);
  }
}
