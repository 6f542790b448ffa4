package dev.ferry.runners.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * A backfill launched with the DataflowRunner as far as it goes without Google Cloud: ferry
 * plans the ranges on the real source, Beam translates the pipeline into a Dataflow job and
 * stages the files; instead of creating the job, the runner writes the job description to a
 * local {@code --templateLocation} file, which this test reads. The Dataflow service, Cloud
 * Storage and credentials are the only things not exercised.
 */
class DataflowSubmissionTest {
  @Test
  void aBackfillTranslatesIntoADataflowJob() throws Exception {
    TestDatabase source = EmbeddedDatabases.newPostgres();
    TestDatabase target = EmbeddedDatabases.newPostgres();
    source.execute("create table items(id bigint primary key, name text)",
        "insert into items select g, 'item ' || g from generate_series(1, 500) g");
    target.execute("create table items(id bigint primary key, name text)");
    Path dir = Files.createTempDirectory("dataflow-submit-");
    Path jar = dir.resolve("ferry-dataflow.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      // a stand-in for the shaded jar: staging copies it, nothing loads it
    }
    Path template = dir.resolve("job.json");
    List<String> args = new ArrayList<>(List.of("--job=items-dataflow",
        "--sourceUrl=" + source.jdbcUrl(), "--sourceUser=" + source.user(),
        "--sourceTable=items", "--targetUrl=" + target.jdbcUrl(),
        "--targetUser=" + target.user(), "--partitions=4",
        "--runner=DataflowRunner", "--project=ferry-test-project", "--region=europe-west1",
        "--jobName=items-dataflow-test",
        "--gcpTempLocation=" + dir.resolve("temp"), "--stagingLocation=" + dir.resolve("staging"),
        "--templateLocation=" + template, "--filesToStage=" + jar,
        "--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator",
        "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory"));
    PipelineOptionsFactory.register(BackfillOptions.class);
    BackfillOptions options = PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
        .withValidation().as(BackfillOptions.class);
    RunSummary summary = BackfillPipeline.run(options, new Secrets(Map.of()));
    System.out.println(summary.toConsole());

    assertTrue(Files.isRegularFile(template), "the job that would have been submitted: "
        + summary.error);
    JsonNode job = new ObjectMapper().readTree(template.toFile());
    String steps = job.toString();
    // A table into a table without lookups is read, mapped and written in one step.
    for (String step : List.of("Table.items.Ranges/GroupByPosition",
        "Table.items.Copy/ReadRangeInto", "dev.ferry.read.ReadRangesInto$ReadIntoFn")) {
      assertTrue(steps.contains(step), step + " in " + steps);
    }
    assertEquals("items-dataflow-test", job.get("name").asText());
    assertTrue(Files.list(dir.resolve("staging")).anyMatch(
        p -> p.getFileName().toString().startsWith("ferry-dataflow")), "the jar was staged");
    assertEquals(0L, target.count("items"), "nothing ran");
    // ferry cannot report on a job that was only described; a classic template would also
    // freeze the planned ranges, which is why ferry ships a Flex Template instead.
    assertEquals(1, summary.exitCode);
    assertTrue(summary.error.contains("template"), summary.error);
  }
}
