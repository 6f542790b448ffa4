package dev.ferry.pipelines.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs backfills and reconciles between two test databases and reads what they report. */
final class ReconcileHarness {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestDatabase source;
  private final TestDatabase target;
  private final String table;
  private final Path dir;

  ReconcileHarness(TestDatabase source, TestDatabase target, String table) throws IOException {
    this.source = source;
    this.target = target;
    this.table = table;
    this.dir = Files.createTempDirectory("reconcile-test-");
  }

  Path dir() {
    return dir;
  }

  TestDatabase source() {
    return source;
  }

  TestDatabase target() {
    return target;
  }

  private List<String> endpoints(String job) {
    return new ArrayList<>(List.of("--job=" + job, "--sourceUrl=" + source.jdbcUrl(),
        "--sourceUser=" + source.user(), "--sourceTable=" + table,
        "--targetUrl=" + target.jdbcUrl(), "--targetUser=" + target.user(), "--partitions=4"));
  }

  void backfill() {
    BackfillOptions o = PipelineOptionsFactory.fromArgs(endpoints("copy-" + table)
        .toArray(new String[0])).as(BackfillOptions.class);
    RunSummary s = BackfillPipeline.run(o, new Secrets(Map.of()));
    assertEquals(0, s.exitCode, s.error);
  }

  ReconcileReport reconcile(String... flags) {
    List<String> args = endpoints("check-" + table);
    args.addAll(Arrays.asList(flags));
    ReconcileOptions o = PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
        .as(ReconcileOptions.class);
    ReconcileReport report = ReconcilePipeline.run(o, new Secrets(Map.of()));
    System.out.println(report.toConsole());
    return report;
  }

  /** Reconciles writing a report and the differing keys; returns them as readable lines. */
  TreeSet<String> differences(String name, String... flags) throws IOException {
    List<String> all = new ArrayList<>(Arrays.asList(flags));
    all.add("--report=" + dir.resolve(name + ".json"));
    ReconcileReport report = reconcile(all.toArray(new String[0]));
    assertEquals(true, report.exitCode == 0 || report.exitCode == 4, report.error);
    return lines(dir.resolve(name + ".differences.jsonl"));
  }

  /** Each differing key as "class key [columns]". */
  static TreeSet<String> lines(Path differencesFile) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    for (String line : Files.readAllLines(differencesFile)) {
      JsonNode n = JSON.readTree(line);
      List<String> columns = new ArrayList<>();
      if (n.has("columns")) {
        n.get("columns").forEach(c -> columns.add(c.asText()));
      }
      out.add(n.get("class").asText() + " " + n.get("key") + (columns.isEmpty() ? ""
          : " " + columns));
    }
    return out;
  }

  static TreeSet<String> expect(String... lines) {
    return new TreeSet<>(Arrays.asList(lines));
  }

  JsonNode report(String name) throws IOException {
    return JSON.readTree(dir.resolve(name + ".json").toFile());
  }
}
