package dev.ferry.pipelines.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Writes the files jobs leave for schedulers and people: JSON reports, JSON-lines exports.
 *
 * <p>Locations go through Beam's {@link FileSystems}, so a report lands wherever the bundle has
 * a filesystem for: a local path (parent directories are created), or {@code gs://bucket/…}
 * in ferry-dataflow.jar, where the launcher may run in a container whose disk nobody reads.
 * Other schemes than the local one exist once the job's options were registered
 * ({@code FileSystems.setDefaultPipelineOptions}, which every Beam runner does).
 */
public final class ReportFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportFiles() {}

  /** Writes {@code report} as indented JSON to {@code location}, a path or a URI. */
  public static void writeJson(String location, Object report) throws IOException {
    try (Writer w = open(location)) {
      JSON.writeValue(w, report);
    }
  }

  /** Writes {@code report} as indented JSON, creating missing parent directories. */
  public static void writeJson(Path file, Object report) throws IOException {
    writeJson(file.toString(), report);
  }

  /**
   * A new UTF-8 text file at {@code location} (a path or a URI such as gs://bucket/file),
   * replacing an old one; the file is complete once the writer is closed.
   */
  public static BufferedWriter open(String location) throws IOException {
    return new BufferedWriter(Channels.newWriter(
        FileSystems.create(FileSystems.matchNewResource(location, false), MimeTypes.TEXT),
        StandardCharsets.UTF_8));
  }

  /** A new UTF-8 text file, replacing an old one, with its parent directories created. */
  public static BufferedWriter open(Path file) throws IOException {
    return open(file.toString());
  }
}
