package dev.ferry.pipelines.backfill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.pipelines.spec.ReportFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The export of a run's dead letters ({@code deadLetterFile}): one JSON object per line. */
final class DeadLetterFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadLetterFile() {}

  /** {@code deadLetters} as {@link dev.ferry.progress.JobState#deadLetters} returns them. */
  static void write(Path file, String job, List<String[]> deadLetters) throws IOException {
    try (BufferedWriter w = ReportFiles.open(file)) {
      for (String[] d : deadLetters) {
        ObjectNode node = JSON.createObjectNode();
        node.put("job", job);
        node.set("key", JSON.readTree(d[0]));
        node.put("stage", d[1]);
        node.put("column", d[2]);
        node.put("error", d[3]);
        node.set("sourceRow", JSON.readTree(d[4]));
        node.put("runId", d[5]);
        w.write(node.toString());
        w.newLine();
      }
    }
  }
}
