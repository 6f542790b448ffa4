package dev.ferry.pipelines.report.html;

import dev.ferry.pipelines.spec.ReportFiles;
import java.io.IOException;
import java.io.Writer;

/**
 * Where a run's HTML page goes: beside its JSON report, with the same name ending in
 * {@code .html} instead of {@code .json} ({@code reports/profile.json} →
 * {@code reports/profile.html}; a name without {@code .json} gets {@code .html} appended), on
 * the same filesystem (a local path or {@code gs://…}).
 */
public final class ReportPages {
  private ReportPages() {}

  /** The page's location for the JSON report at {@code jsonLocation}. */
  public static String besideJson(String jsonLocation) {
    return jsonLocation.endsWith(".json")
        ? jsonLocation.substring(0, jsonLocation.length() - ".json".length()) + ".html"
        : jsonLocation + ".html";
  }

  /** Writes {@code page} beside the JSON report at {@code jsonLocation}; returns where. */
  public static String writeBeside(String jsonLocation, HtmlPage page) throws IOException {
    String location = besideJson(jsonLocation);
    try (Writer w = ReportFiles.open(location)) {
      w.write(page.render());
    }
    return location;
  }
}
