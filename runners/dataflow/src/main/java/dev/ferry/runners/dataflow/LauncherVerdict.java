package dev.ferry.runners.dataflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launcher's state in a small JSON file, for a scheduler that stops reading the launcher's
 * output once the Dataflow job is submitted. Airflow's Beam operator does: it takes the job id
 * from the "Submitted job" line, waits for the Dataflow job itself and never sees the process
 * exit, so ferry's verdict (exit code 3, too many dead letters; 4, reconcile differences) would
 * be lost. The file says {@code running} with the launcher's pid from the start, then
 * {@code finished} with the exit code; each version replaces the last atomically, so a reader
 * never sees half a file.
 */
final class LauncherVerdict {
  private final Path file;
  private final Map<String, Object> fields = new LinkedHashMap<>();

  LauncherVerdict(Path file, String command) {
    this.file = file;
    fields.put("command", command);
    fields.put("pid", ProcessHandle.current().pid());
  }

  void running() throws IOException {
    fields.put("state", "running");
    write();
  }

  void finished(int exitCode) throws IOException {
    fields.put("state", "finished");
    fields.put("exitCode", exitCode);
    write();
  }

  private void write() throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path part = Files.createTempFile(dir, file.getFileName().toString(), ".part");
    new ObjectMapper().writeValue(part.toFile(), fields);
    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
