package dev.ferry.pipelines.dryrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * The dry run's extrapolation against the real thing: a 200,000-row table is dry-run into a
 * scratch schema, then backfilled in full into the real target. The predicted target size is
 * compared with the backfilled table's; the predicted duration is checked to be the stated
 * formula over its measured parts. How close that duration comes to a real backfill is a
 * benchmark ({@code bench/dryrun-accuracy.sh}), not a test: timings on a shared machine are noise.
 */
class DryRunPipelineTest {
  private static final int ROWS = 200_000;
  /** Size estimate: within 15% of the backfilled table's size. */
  private static final double SIZE_TOLERANCE = 0.15;

  private static List<String> args(TestDatabase src, TestDatabase dst, String... more) {
    List<String> args = new ArrayList<>(List.of("--job=dry", "--sourceUrl=" + src.jdbcUrl(),
        "--sourceUser=" + src.user(), "--sourceTable=big", "--targetUrl=" + dst.jdbcUrl(),
        "--targetUser=" + dst.user(), "--partitions=4", "--batchSize=1000"));
    for (String flag : more) {
      String name = flag.substring(0, flag.indexOf('=') + 1);
      args.removeIf(a -> !name.isEmpty() && a.startsWith(name));
      args.add(flag);
    }
    return args;
  }

  private static DryRunReport dryRun(List<String> args) {
    return DryRunPipeline.run(PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
        .as(DryRunOptions.class), new Secrets(Map.of()));
  }

  @Test
  void extrapolatesTheFullBackfillFromASample() {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    String ddl = "CREATE TABLE big (id bigint PRIMARY KEY, name text, amount numeric(12,2),"
        + " created_at timestamptz, payload text)";
    src.execute(ddl, "INSERT INTO big SELECT g, 'name-' || g, g * 0.5,"
        + " now() - (g % 365) * interval '1 day' - interval '1 hour', repeat('p', 50 + g % 50)"
        + " FROM generate_series(1, " + ROWS + ") g", "ANALYZE big");
    dst.execute(ddl);

    DryRunReport dry = dryRun(args(src, dst, "--scratchSchema=scratch", "--samplePercent=5",
        "--months=12"));
    assertEquals(0, dry.exitCode, dry.error);
    assertEquals(ROWS, dry.rowsInTable);
    assertEquals(4, dry.rangesSampled, "as many ranges as the job has");
    assertEquals(80, dry.rangesPlanned, "20 times as many planned");
    assertEquals(dry.rowsRead, dry.rowsWritten);
    assertEquals(ROWS / 20.0, dry.rowsRead, ROWS / 20.0 * 0.05);
    assertEquals(dst.count("scratch.big"), dry.rowsWritten + dry.warmupRows);
    assertEquals(0, dst.count("big"), "a scratch dry run leaves the real table alone");
    assertEquals(count(src, "created_at >= now() - interval '30 days'"),
        dry.growth.rowsLast30Days);
    assertEquals(Math.round(dry.bytesPerRow * (ROWS + dry.growth.rowsPerDay30
        * DryRunReport.DAYS_PER_MONTH * 12)), dry.estimatedTargetBytesAfterMonths);
    assertTrue(dry.assumptions.size() >= 5);

    RunSummary full = backfill(src, dst);
    long actualBytes = ((Number) dst.scalar("SELECT pg_total_relation_size('big')")).longValue();
    DryRunReport second = dryRun(args(src, dst, "--scratchSchema=scratch",
        "--samplePercent=5"));
    assertEquals(dry.rowsRead, second.rowsRead, "the same ranges are sampled again");
    dst.execute("TRUNCATE big");
    RunSummary again = backfill(src, dst, "--restart=true");
    assertEquals(ROWS, dst.count("big"));

    // How close the estimate comes to a real backfill's time is measured by
    // bench/dryrun-accuracy.sh, not asserted here: a timing on a shared machine is noise. What a
    // test can hold is that the estimate is the stated formula over the measured parts.
    for (DryRunReport r : List.of(dry, second)) {
      double perRow = Math.max(0, r.sampleSeconds - r.fixedSeconds) / r.rowsRead;
      assertEquals(Math.max(r.setupSeconds, r.planSeconds) + r.startUpSeconds + r.fixedSeconds
          + perRow * ROWS, r.estimatedSeconds, 1e-9);
      assertTrue(r.startUpSeconds >= 0 && r.sampleSeconds > 0, "measured parts of the estimate");
      assertTrue(r.assumptions.stream().anyMatch(a -> a.contains("start")),
          "the start-up it adds is stated: " + r.assumptions);
    }
    System.out.printf("dry-run estimates %.2f s and %.2f s; backfills took %.2f s and %.2f s;"
        + " size %d estimated, %d actual%n", dry.estimatedSeconds, second.estimatedSeconds,
        full.seconds, again.seconds, dry.estimatedTargetBytes, actualBytes);
    assertEquals(actualBytes, dry.estimatedTargetBytes, actualBytes * SIZE_TOLERANCE);
  }

  private static RunSummary backfill(TestDatabase src, TestDatabase dst, String... more) {
    RunSummary s = BackfillPipeline.run(PipelineOptionsFactory.fromArgs(
        args(src, dst, more).toArray(new String[0])).as(BackfillOptions.class),
        new Secrets(Map.of()));
    assertEquals(0, s.exitCode, s.error);
    return s;
  }

  @Test
  void samplesIntoTheRealTargetAndRefusesBadSettings() {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE big (id INT PRIMARY KEY, name VARCHAR(40))",
        "INSERT INTO big SELECT seq, CONCAT('n', seq) FROM seq_1_to_5000");
    dst.execute("CREATE TABLE big (id bigint PRIMARY KEY, name varchar(40))");
    // Ranges of 125 rows hold a chunk of batchSize 100: the sample stays at 10%.
    DryRunReport dry = dryRun(args(src, dst, "--samplePercent=10", "--batchSize=100"));
    assertEquals(0, dry.exitCode, dry.error);
    assertEquals(4, dry.rangesSampled);
    assertEquals(dst.count("big"), dry.rowsWritten + dry.warmupRows, "into the real target");
    assertEquals(500, dry.rowsWritten, 50);
    assertEquals(4L, ((Number) dst.scalar("SELECT count(*) FROM ferry_progress"
        + " WHERE job = 'dry.dryrun' AND done")).longValue(), "the sample's own progress");
    assertEquals(0L, ((Number) dst.scalar("SELECT count(*) FROM ferry_progress"
        + " WHERE job = 'dry'")).longValue(), "the real job's progress is untouched");
    assertTrue(dry.notes.toString().contains("no created-at column"), dry.notes.toString());

    DryRunReport again = dryRun(args(src, dst, "--samplePercent=10", "--batchSize=100"));
    assertEquals(0, again.exitCode, again.error);
    assertEquals(dry.rowsRead, again.rowsRead, "a second dry run samples the same ranges");
    assertTrue(again.notes.toString().contains("already in the target"), again.notes.toString());

    assertEquals(ExitCodes.INVALID, dryRun(args(src, dst, "--samplePercent=0"))
        .exitCode);
    assertEquals(ExitCodes.INVALID, dryRun(args(src, dst, "--months=-1"))
        .exitCode);
  }

  private static long count(TestDatabase db, String where) {
    return ((Number) db.scalar("SELECT count(*) FROM big WHERE " + where)).longValue();
  }
}
