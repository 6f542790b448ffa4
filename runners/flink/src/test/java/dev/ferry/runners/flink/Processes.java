package dev.ferry.runners.flink;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** Child JVMs of the tests: the classpath to give them, stopping them, reading their logs. */
final class Processes {
  private Processes() {}

  /**
   * The test classpath. Surefire and Failsafe may start the test JVM from a manifest-only jar,
   * whose Class-Path then lists the real entries.
   */
  static List<String> testClasspath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = new File(entry).getName();
      if (name.startsWith("surefirebooter") && name.endsWith(".jar")) {
        try (JarFile jar = new JarFile(entry)) {
          Manifest m = jar.getManifest();
          for (String url : m.getMainAttributes().getValue("Class-Path").split(" ")) {
            if (!url.isBlank()) {
              entries.add(Path.of(java.net.URI.create(url)).toString());
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + entry, e);
        }
      } else {
        entries.add(entry);
      }
    }
    return entries;
  }

  /** Runs a command to its end (at most {@code timeoutSeconds}), its output into {@code log}. */
  static int run(List<String> command, Path log, long timeoutSeconds) throws Exception {
    return run(command, log, timeoutSeconds, Map.of());
  }

  /** The same, with {@code environment} added to this JVM's. */
  static int run(List<String> command, Path log, long timeoutSeconds,
      Map<String, String> environment) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(environment);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      stop(p);
      throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command
          + "\n" + tail(log, 60));
    }
    return p.exitValue();
  }

  /** Asks a process to stop (SIGTERM), then kills it if it has not within 15 s. */
  static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
    } catch (IOException e) {
      return "(no " + file + ": " + e.getMessage() + ")\n";
    }
  }

  /** Deletes a directory and everything in it, as far as possible. */
  static void deleteTree(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static List<String> list(String... parts) {
    return new ArrayList<>(Arrays.asList(parts));
  }
}
