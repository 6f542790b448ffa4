package dev.ferry.pipelines.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.reconcile.KeyClass;
import dev.ferry.reconcile.KeyOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.jupiter.api.Test;

class ResultFilesTest {
  private static final TupleTag<KeyOutcome> DIFFERENCES = new TupleTag<KeyOutcome>() {};
  private static final TupleTag<KV<String, Long>> FACTS = new TupleTag<KV<String, Long>>() {};

  private static void run(ResultFiles files, Map<String, Long> facts) {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple result = PCollectionTuple.of(DIFFERENCES, p.apply("Differences",
        Create.of(new KeyOutcome("{\"id\":1}", KeyClass.MISSING, 1, 0, List.of(), null),
            new KeyOutcome("{\"id\":2}", KeyClass.MISMATCHED, 1, 1, List.of("name"), null))
            .withCoder(KeyOutcome.Coder.of())))
        .and(FACTS, p.apply("Facts", Create.of(facts).withCoder(KvCoder.of(
            StringUtf8Coder.of(), VarLongCoder.of()))));
    files.write(result, DIFFERENCES, FACTS);
    p.run().waitUntilFinish();
  }

  @Test
  void aRetriedBundlesSecondCopyIsReadOnce() throws Exception {
    Path dir = Files.createTempDirectory("result-files-");
    ResultFiles files = new ResultFiles(dir.toString());
    run(files, Map.of("keys.match", 5L, "keys.missing", 1L));
    // The same lines written again, as by a bundle that was retried after it finished.
    run(files, Map.of("keys.match", 5L, "keys.missing", 1L));
    try (var names = Files.list(dir)) {
      assertTrue(names.filter(f -> f.getFileName().toString().startsWith("results-")).count()
          >= 2, "two copies were written");
    }
    ResultFiles.Results results = files.read();
    assertEquals(Map.of("keys.match", 5L, "keys.missing", 1L), results.facts);
    assertEquals(2, results.differences.size());
    assertEquals(KeyClass.MISMATCHED, results.differences.stream()
        .filter(o -> o.key().equals("{\"id\":2}")).findFirst().orElseThrow().kind());
  }

  @Test
  void totalsNotSummedPerNameAreRefused() throws Exception {
    Path dir = Files.createTempDirectory("result-files-");
    ResultFiles files = new ResultFiles(dir.toString());
    run(files, Map.of("keys.match", 5L));
    run(files, Map.of("keys.match", 7L));
    IllegalStateException e = assertThrows(IllegalStateException.class, files::read);
    assertTrue(e.getMessage().contains("keys.match"), e.getMessage());
  }
}
