package dev.ferry.pipelines.report.html;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's chromium, headless, on a page from disk: its DOM after the scripts ran, the console
 * messages it logged, and a screenshot. Flags as this machine needs them: no sandbox (root), no
 * GPU, and no background connections (the network is closed), with a fresh profile each run.
 */
final class HeadlessChromium {
  /** Set (as CI does) to fail rather than skip when no chromium is installed. */
  static final String REQUIRED = "FERRY_REQUIRE_CHROMIUM";

  private final String executable;
  private final Path workDir;

  private HeadlessChromium(String executable, Path workDir) {
    this.executable = executable;
    this.workDir = workDir;
  }

  /** The installed chromium, or null when there is none on the PATH. */
  static HeadlessChromium find(Path workDir) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return new HeadlessChromium(p.toString(), workDir);
        }
      }
    }
    return null;
  }

  /** What a page left behind once loaded. */
  record Result(String dom, List<String> consoleLines) {}

  /** Loads {@code page}, lets its scripts run, and returns its DOM and console messages. */
  Result dumpDom(Path page) throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "dom", ".html");
    Path err = run(page, out, "--dump-dom");
    List<String> console = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
        .filter(l -> l.contains(":CONSOLE")).collect(Collectors.toList());
    return new Result(Files.readString(out, StandardCharsets.UTF_8), console);
  }

  /** Writes a PNG of {@code page} at 1280 pixels wide and {@code height} high. */
  void screenshot(Path page, Path png, int height) throws IOException, InterruptedException {
    Files.createDirectories(png.getParent());
    run(page, null, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280," + height,
        "--hide-scrollbars");
  }

  private Path run(Path page, Path stdout, String... extra)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(workDir, "chromium-profile");
    Path err = Files.createTempFile(workDir, "chromium", ".log");
    List<String> command = new ArrayList<>(List.of(executable, "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
        "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000"));
    command.addAll(List.of(extra));
    command.add(page.toUri().toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
    pb.redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD
        : ProcessBuilder.Redirect.to(stdout.toFile()));
    Process p = pb.start();
    // A bound on a hung browser, not a measurement: a page loads in seconds.
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("chromium did not finish with " + page);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("chromium exited " + p.exitValue() + " on " + page + ": "
          + Files.readString(err, StandardCharsets.UTF_8));
    }
    return err;
  }
}
