package dev.ferry.pipelines.backfill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.pipelines.spec.ReportFiles;
import dev.ferry.progress.JobState;
import java.io.BufferedWriter;
import java.nio.file.Path;

/** A job's dead-lettered rows written as JSON lines, for {@code --deadLetterFile}. */
final class DeadLetterExport {
  private DeadLetterExport() {}

  static void write(JobState store, String job, String fingerprint, Path file) throws Exception {
    ObjectMapper json = new ObjectMapper();
    try (BufferedWriter w = ReportFiles.open(file)) {
      for (String[] d : store.deadLetters(job, fingerprint)) {
        ObjectNode node = json.createObjectNode();
        node.put("job", job);
        node.set("key", json.readTree(d[0]));
        node.put("stage", d[1]);
        node.put("column", d[2]);
        node.put("error", d[3]);
        node.set("sourceRow", json.readTree(d[4]));
        node.put("runId", d[5]);
        w.write(node.toString());
        w.newLine();
      }
    }
  }
}
