package dev.ferry.pipelines.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the files jobs leave for schedulers and people: JSON reports, JSON-lines exports. */
public final class ReportFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportFiles() {}

  /** Writes {@code report} as indented JSON, creating missing parent directories. */
  public static void writeJson(Path file, Object report) throws IOException {
    JSON.writeValue(open(file), report);
  }

  /** A new UTF-8 text file, replacing an old one, with its parent directories created. */
  public static BufferedWriter open(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }
}
