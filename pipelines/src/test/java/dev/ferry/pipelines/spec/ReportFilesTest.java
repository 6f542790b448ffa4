package dev.ferry.pipelines.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports go through Beam's FileSystems: to a local path (directories created) and to any
 * registered scheme, here mem:// standing in for gs:// (a local Path would turn gs://b/x into
 * the relative file gs:/b/x).
 */
class ReportFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void registerFileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  @Test
  void writesToALocalPathCreatingItsDirectories(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("reports/2026/orders-reconcile.json");
    ReportFiles.writeJson(file.toString(), Map.of("exitCode", 4, "job", "orders"));
    JsonNode report = JSON.readTree(file.toFile());
    assertEquals(4, report.get("exitCode").asInt());
    assertEquals("orders", report.get("job").asText());
  }

  @Test
  void writesToAnyRegisteredScheme() throws Exception {
    String uri = "mem://ferry-reports/runs/orders-backfill.json";
    ReportFiles.writeJson(uri, Map.of("exitCode", 3, "status", "too-many-dead-letters"));
    byte[] written = MemoryFileSystem.read(uri);
    assertNotNull(written, "nothing was written to " + uri);
    JsonNode report = JSON.readTree(written);
    assertEquals(3, report.get("exitCode").asInt());

    String lines = "mem://ferry-reports/runs/orders-reconcile.differences.jsonl";
    try (BufferedWriter w = ReportFiles.open(lines)) {
      w.write("{\"key\":[1],\"class\":\"missing\"}");
      w.newLine();
    }
    assertEquals("{\"key\":[1],\"class\":\"missing\"}\n",
        new String(MemoryFileSystem.read(lines), StandardCharsets.UTF_8));
  }

  @Test
  void replacesAnOldReport(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.json");
    Files.writeString(file, "{\"exitCode\": 0, \"stale\": \"a much longer old report than the new one\"}");
    ReportFiles.writeJson(file, Map.of("exitCode", 1));
    assertEquals(Map.of("exitCode", 1), JSON.readValue(file.toFile(), Map.class));
  }
}
