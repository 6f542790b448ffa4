package dev.ferry.runners.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per problem {@link DataflowPreflight} reports, and the options that pass. */
class DataflowPreflightTest {
  private static final List<String> VALID = List.of("--runner=DataflowRunner",
      "--project=ferry-demo-123", "--region=europe-west1",
      "--tempLocation=gs://ferry-demo-bucket/tmp", "--sourceUrl=jdbc:mysql://10.20.0.5:3306/shop",
      "--targetUrl=jdbc:postgresql://10.20.0.6:5432/shop");

  /** The valid flags with {@code changes} applied: "--x=v" replaces --x, "-x" removes it. */
  private static List<String> with(String... changes) {
    List<String> args = new ArrayList<>(VALID);
    for (String c : changes) {
      String name = c.startsWith("--") ? c.substring(0, c.indexOf('=') + 1)
          : "-" + c + "=";
      args.removeIf(a -> a.startsWith(name));
      if (c.startsWith("--")) {
        args.add(c);
      }
    }
    return args;
  }

  private static String onlyProblem(String... changes) {
    List<String> problems = DataflowPreflight.check(with(changes));
    assertEquals(1, problems.size(), problems.toString());
    return problems.get(0);
  }

  @Test
  void validOptionsPass() {
    assertEquals(List.of(), DataflowPreflight.check(VALID));
    assertEquals(List.of(), DataflowPreflight.check(with("-tempLocation",
        "--gcpTempLocation=gs://b-1/t", "--stagingLocation=gs://b-1/staging",
        "--jobName=orders-backfill-2", "--numWorkers=2", "--maxNumWorkers=10",
        "--project=example.com:legacy-project")));
  }

  @Test
  void projectIsRequired() {
    assertTrue(onlyProblem("-project").startsWith("--project is required"));
  }

  @Test
  void projectMustBeAnIdNotANameOrNumber() {
    assertTrue(onlyProblem("--project=My Project").contains("not the project's display name"));
    assertTrue(onlyProblem("--project=123456789012").contains("looks like a project number"));
  }

  @Test
  void regionIsRequired() {
    assertTrue(onlyProblem("-region").startsWith("--region is required"));
  }

  @Test
  void aZoneIsNotARegion() {
    assertEquals("--region=us-central1-a: that is a zone; the region is us-central1 (pin a zone"
        + " with --workerZone)", onlyProblem("--region=us-central1-a"));
  }

  @Test
  void regionMustLookLikeOne() {
    assertTrue(onlyProblem("--region=Europe").contains("not a Dataflow region"));
  }

  @Test
  void aTempLocationIsRequired() {
    assertTrue(onlyProblem("-tempLocation").startsWith("--tempLocation is required"));
  }

  @Test
  void locationsMustBeInCloudStorage() {
    assertTrue(onlyProblem("--tempLocation=/tmp/ferry").contains("must be a Cloud Storage path"));
    assertTrue(onlyProblem("--stagingLocation=s3://b/x").startsWith("--stagingLocation=s3://b/x:"
        + " must be a Cloud Storage path"));
    assertTrue(onlyProblem("--gcpTempLocation=file:///x").startsWith("--gcpTempLocation="));
  }

  @Test
  void bucketNamesAreChecked() {
    assertTrue(onlyProblem("--tempLocation=gs://My_Bucket/tmp").contains("is not a bucket name"));
  }

  @Test
  void jobNamesAreChecked() {
    assertEquals("--jobName=Orders_Backfill: Dataflow job names are lowercase letters, digits and"
        + " hyphens, starting with a letter and not ending with a hyphen (e.g. orders-backfill)",
        onlyProblem("--jobName=Orders_Backfill"));
  }

  @Test
  void workerCountsAreChecked() {
    assertTrue(onlyProblem("--numWorkers=0").contains("at least 1"));
    assertTrue(onlyProblem("--maxNumWorkers=lots").contains("at least 1"));
    assertEquals("--numWorkers=5 is more than --maxNumWorkers=2",
        onlyProblem("--numWorkers=5", "--maxNumWorkers=2"));
  }

  @Test
  void databasesOnThisMachineAreUnreachableFromWorkers() {
    assertTrue(onlyProblem("--sourceUrl=jdbc:mysql://localhost:3306/shop")
        .startsWith("--sourceUrl: localhost is this machine"));
    assertTrue(onlyProblem("--targetUrl=jdbc:postgresql://127.0.0.1/shop")
        .startsWith("--targetUrl: 127.0.0.1 is this machine"));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertEquals(3, DataflowPreflight.check(List.of("--runner=DataflowRunner")).size());
  }

  @Test
  void theJarStopsBeforeStartingAnythingWithExitCode2() {
    List<String> args = new ArrayList<>(List.of("backfill", "--job=orders"));
    args.addAll(with("-region"));
    assertEquals(2, FerryDataflow.run(args.toArray(new String[0])));
    // DataflowRunner is the jar's default runner, so it is checked without --runner too.
    List<String> noRunner = new ArrayList<>(Arrays.asList("reconcile", "--job=orders"));
    noRunner.addAll(with("-runner", "-project"));
    assertEquals(2, FerryDataflow.run(noRunner.toArray(new String[0])));
  }
}
