package dev.ferry.pipelines.report;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.report.html.HtmlPage;
import dev.ferry.pipelines.report.html.ReportPages;
import dev.ferry.pipelines.spec.ReportFiles;
import java.io.IOException;
import org.slf4j.Logger;

/**
 * What a command reports at its end: readable on the console, and as a JSON file with an HTML
 * page beside it when asked.
 */
public interface JobReport {
  /** The readable report. */
  String toConsole();

  /** The report as a page. */
  HtmlPage page();

  /** Writes the JSON report to {@code location} and the HTML page beside it. */
  default void writeTo(String location) throws IOException {
    ReportFiles.writeJson(location, this);
    ReportPages.writeBeside(location, page());
  }

  /**
   * Prints the report (stdout when the command succeeded, {@code exitCode} {@link ExitCodes#OK},
   * else an error on {@code log}) and
   * writes it to {@code reportFile} when one is given; a file that cannot be written is logged,
   * never a reason to change the exit code.
   */
  default void print(int exitCode, String reportFile, Logger log) {
    if (exitCode == ExitCodes.OK) {
      System.out.println(toConsole());
    } else {
      log.error(toConsole());
    }
    if (reportFile != null) {
      try {
        writeTo(reportFile);
      } catch (IOException e) {
        log.error("cannot write report file {}: {}", reportFile, e.getMessage());
      }
    }
  }
}
