package dev.ferry.runners.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.reconcile.ReconcileReport;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same backfill and reconcile on the DirectRunner and on an in-process Flink
 * ({@code --flinkMaster=[local]}, parallelism 2) give the same target rows and the same report.
 */
class FlinkLocalTest {
  @TempDir Path dir;

  @Test
  void backfillAndReconcileGiveTheSameResultsOnDirectAndOnFlink() throws Exception {
    TestDatabase source = EmbeddedDatabases.newPostgres();
    TestDatabase onDirect = EmbeddedDatabases.newPostgres();
    TestDatabase onFlink = EmbeddedDatabases.newPostgres();
    Items.seed(source);
    onDirect.execute(Items.DDL);
    onFlink.execute(Items.DDL);
    List<String> direct = Jobs.endpoints("items-direct", source, onDirect);
    List<String> flink = Jobs.endpoints("items-flink", source, onFlink);

    RunSummary d = Jobs.backfill(direct, Jobs.DIRECT);
    assertEquals(0, d.exitCode, d.error);
    RunSummary f = Jobs.backfill(flink, Jobs.FLINK_LOCAL);
    assertEquals(0, f.exitCode, f.error);
    assertEquals(Items.ROWS, f.rowsRead, "rows read, from Flink's metrics");
    assertEquals(Items.ROWS, f.rowsWritten);
    assertEquals(d.rangesTotal, f.rangesTotal);
    assertEquals(d.jobRowsWritten, f.jobRowsWritten);
    List<String> expected = Items.rows(source);
    assertEquals(expected, Items.rows(onDirect));
    assertEquals(expected, Items.rows(onFlink), "Flink wrote exactly what Direct wrote");

    ReconcileReport clean = Jobs.reconcile(flink, Jobs.FLINK_LOCAL);
    assertEquals(0, clean.exitCode, clean.error);
    assertEquals((long) Items.ROWS, clean.counts.get("match"));

    Items.inject(onDirect);
    Items.inject(onFlink);
    for (String fast : List.of("false", "true")) {
      Path onD = dir.resolve("direct-" + fast + ".json");
      Path onF = dir.resolve("flink-" + fast + ".json");
      // The fast path joins a few differing rows in the launcher; 0 keeps it in the pipeline.
      ReconcileReport rd = Jobs.reconcile(direct, Jobs.DIRECT, "--report=" + onD,
          "--fastPath=" + fast, "--joinInLauncherBelow=0");
      ReconcileReport rf = Jobs.reconcile(flink, Jobs.FLINK_LOCAL, "--report=" + onF,
          "--fastPath=" + fast, "--joinInLauncherBelow=0");
      assertEquals(4, rd.exitCode, rd.error);
      assertEquals(4, rf.exitCode, rf.error);
      TreeSet<String> keys = Jobs.differences(Path.of(rf.differencesFile));
      assertEquals(new TreeSet<>(Items.INJECTED), keys);
      assertEquals(Jobs.differences(Path.of(rd.differencesFile)), keys);
      assertEquals(Jobs.comparable(onD), Jobs.comparable(onF), "fastPath=" + fast);
    }
  }
}
