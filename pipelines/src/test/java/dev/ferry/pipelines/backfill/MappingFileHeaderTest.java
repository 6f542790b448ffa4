package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.reconcile.ReconcileOptions;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The header ferry migrate writes into a mapping file fills what a job's flags leave open, so a
 * migrated table is reconciled as the migration read it; nothing connects here.
 */
class MappingFileHeaderTest {
  private static final String HEADER = String.join("\n",
      "job: \"migrate-shop-tags\"",
      "source:",
      "  table: \"\\\"tags\\\"\"",
      "  query: \"SELECT `id`, CONCAT('{', `labels`, '}') AS `labels` FROM `tags`\"",
      "  key: [\"id\"]",
      "  zeroDates: \"null\"",
      "target:",
      "  table: \"\\\"app\\\".\\\"tags\\\"\"",
      "  stateSchema: \"\\\"ferry\\\"\"",
      "passthrough: true",
      "columns: []",
      "");

  @TempDir Path tmp;

  @Test
  void theHeaderSaysHowTheTableIsReadWhenTheFlagsDoNot() throws Exception {
    Path file = Files.writeString(tmp.resolve("tags.yaml"), HEADER);
    BackfillConfig config = BackfillConfig.forReconcile(options("--mappingFile=" + file),
        new Secrets(Map.of()));
    assertEquals("migrate-shop-tags", config.job);
    assertNull(config.sourceTable);
    assertTrue(config.sourceQuery.contains("CONCAT('{', `labels`, '}')"), config.sourceQuery);
    assertEquals(List.of("id"), config.sourceKey);
    assertEquals(List.of("app", "tags"), config.targetTable);
    assertEquals(List.of("ferry"), config.stateSchema);
    assertTrue(config.zeroDatesAsNull);

    // Naming the same table still reads it through the query; another table is the user's.
    assertTrue(BackfillConfig.forReconcile(options("--mappingFile=" + file, "--sourceTable=tags"),
        new Secrets(Map.of())).sourceQuery != null);
    BackfillConfig other = BackfillConfig.forReconcile(options("--mappingFile=" + file,
        "--sourceTable=labels", "--job=mine"), new Secrets(Map.of()));
    assertNull(other.sourceQuery);
    assertEquals(List.of("labels"), other.sourceTable);
    assertEquals("mine", other.job);
  }

  @Test
  void reconcileNamesItsJobAfterTheTableWhenNothingElseDoes() {
    ReconcileOptions plain = options("--sourceTable=Order Lines");
    assertEquals("reconcile-Order_Lines",
        BackfillConfig.forReconcile(plain, new Secrets(Map.of())).job);
    SpecException e = assertThrows(SpecException.class,
        () -> BackfillConfig.from(plain, new Secrets(Map.of())));
    assertTrue(e.getMessage().contains("job: required"), e.getMessage());
  }

  private static ReconcileOptions options(String... more) {
    List<String> args = new ArrayList<>(List.of("--sourceUrl=jdbc:mysql://127.0.0.1:1/shop",
        "--targetUrl=jdbc:postgresql://127.0.0.1:1/shop"));
    args.addAll(List.of(more));
    PipelineOptionsFactory.register(ReconcileOptions.class);
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(ReconcileOptions.class);
  }
}
