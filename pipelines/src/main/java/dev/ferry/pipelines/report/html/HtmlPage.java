package dev.ferry.pipelines.report.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One self-contained report page: static HTML that opens from disk with no server and no
 * network, its styles and Apache ECharts (the minified bundle, from the webjar at build time)
 * inlined. Sections are appended in order; every text is escaped ({@link Html#text}) and chart
 * data travels as JSON in a {@code type="application/json"} script ({@link Html#json}), so no
 * value from a database can become markup or script.
 *
 * <pre>{@code
 * HtmlPage page = HtmlPage.of("ferry profile", "orders", "succeeded", 0);
 * page.facts(Map.of("rows", "50,000"));
 * page.chart("Rows per month", Charts.bars(months, counts, "rows"), 260);
 * String html = page.render();
 * }</pre>
 *
 * <p>A chart that fails to draw shows its error at the top of the page (and in
 * {@code data-chart-errors} on the root element) instead of leaving a blank box.
 */
public final class HtmlPage {
  private static final String ECHARTS = "echarts.min.js";
  private static final Pattern SCRIPT_END = Pattern.compile("(?i)</(script)");

  private final String title;
  private final String subject;
  private final String status;
  private final int exitCode;
  private final StringBuilder body = new StringBuilder();
  private final List<Object> charts = new ArrayList<>();

  private HtmlPage(String title, String subject, String status, int exitCode) {
    this.title = title;
    this.subject = subject;
    this.status = status;
    this.exitCode = exitCode;
  }

  /** A page titled {@code title subject}, with the run's status and exit code at the top. */
  public static HtmlPage of(String title, String subject, String status, int exitCode) {
    return new HtmlPage(title, subject == null ? "" : subject,
        status == null ? "unknown" : status, exitCode);
  }

  public HtmlPage heading(String text) {
    body.append("<h2>").append(Html.text(text)).append("</h2>\n");
    return this;
  }

  public HtmlPage paragraph(String text) {
    body.append("<p>").append(Html.text(text)).append("</p>\n");
    return this;
  }

  /** Labelled facts, in the map's order; null values are left out. */
  public HtmlPage facts(Map<String, String> facts) {
    body.append("<dl class=\"facts\">\n");
    facts.forEach((label, value) -> {
      if (value != null) {
        body.append("<dt>").append(Html.text(label)).append("</dt><dd>")
            .append(Html.text(value)).append("</dd>\n");
      }
    });
    body.append("</dl>\n");
    return this;
  }

  /** A list of remarks (notes, warnings); nothing when empty. */
  public HtmlPage list(String cssClass, List<String> items) {
    if (items.isEmpty()) {
      return this;
    }
    body.append("<ul class=\"").append(Html.text(cssClass)).append("\">\n");
    items.forEach(i -> body.append("<li>").append(Html.text(i)).append("</li>\n"));
    body.append("</ul>\n");
    return this;
  }

  /** A table; a row shorter than the headers leaves its last cells empty. */
  public HtmlPage table(List<String> headers, List<List<String>> rows) {
    body.append("<table>\n<thead><tr>");
    headers.forEach(h -> body.append("<th>").append(Html.text(h)).append("</th>"));
    body.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      for (int i = 0; i < headers.size(); i++) {
        body.append("<td>").append(Html.text(i < row.size() ? row.get(i) : "")).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</tbody>\n</table>\n");
    return this;
  }

  /**
   * A chart drawn by ECharts from {@code option} (an ECharts option object as maps and lists,
   * see {@link Charts}), {@code height} pixels high, under a small title.
   */
  public HtmlPage chart(String chartTitle, Map<String, Object> option, int height) {
    body.append("<figure><figcaption>").append(Html.text(chartTitle))
        .append("</figcaption><div class=\"chart\" data-chart=\"").append(charts.size())
        .append("\" style=\"height:").append(height).append("px\"></div></figure>\n");
    charts.add(option);
    return this;
  }

  /** Opens a group of charts laid out side by side; close it with {@link #endGrid}. */
  public HtmlPage grid() {
    body.append("<div class=\"grid\">\n");
    return this;
  }

  public HtmlPage endGrid() {
    body.append("</div>\n");
    return this;
  }

  public int chartCount() {
    return charts.size();
  }

  /** The whole page. */
  public String render() {
    boolean ok = exitCode == 0;
    StringBuilder sb = new StringBuilder(body.length() + 1_100_000);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(Html.text(title + " " + subject)).append("</title>\n")
        .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n")
        .append("<header><h1>").append(Html.text(title)).append(" <span class=\"subject\">")
        .append(Html.text(subject)).append("</span></h1><span class=\"status ")
        .append(ok ? "ok" : "bad").append("\">").append(Html.text(status))
        .append(" · exit ").append(exitCode).append("</span></header>\n")
        .append("<div id=\"ferry-errors\" hidden></div>\n<main>\n").append(body)
        .append("</main>\n<footer>Written by ferry. Charts: Apache ECharts, inlined; this file"
            + " needs no network.</footer>\n")
        .append("<script id=\"ferry-charts\" type=\"application/json\">")
        .append(Html.json(charts)).append("</script>\n")
        .append("<script>").append(SCRIPT_END.matcher(echarts()).replaceAll("<\\\\/$1"))
        .append("</script>\n<script>").append(DRAW).append("</script>\n</body>\n</html>\n");
    return sb.toString();
  }

  private static String echarts() {
    try (InputStream in = HtmlPage.class.getResourceAsStream(ECHARTS)) {
      if (in == null) {
        throw new IllegalStateException("the report's chart library " + ECHARTS + " is missing"
            + " from the classpath (the build unpacks it from the echarts webjar)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ECHARTS, e);
    }
  }

  // Draws every chart as SVG with no animation, so the page is complete once loaded (for
  // printing and screenshots), and reports any failure on the page rather than only in a
  // console nobody opens.
  private static final String DRAW = """
      (function () {
        var errors = [];
        function fail(message) {
          errors.push(String(message));
          var box = document.getElementById('ferry-errors');
          box.hidden = false;
          box.textContent = 'Some charts could not be drawn: ' + errors.join('; ');
          document.documentElement.setAttribute('data-chart-errors', errors.join('; '));
        }
        window.addEventListener('error', function (e) { fail(e.message); });
        var drawn = 0;
        try {
          var options = JSON.parse(document.getElementById('ferry-charts').textContent);
          var boxes = document.querySelectorAll('div.chart');
          for (var i = 0; i < boxes.length; i++) {
            try {
              var option = options[Number(boxes[i].getAttribute('data-chart'))];
              option.animation = false;
              echarts.init(boxes[i], null, {renderer: 'svg'}).setOption(option);
              drawn++;
            } catch (e) {
              fail(e && e.message ? e.message : e);
            }
          }
        } catch (e) {
          fail(e && e.message ? e.message : e);
        }
        document.documentElement.setAttribute('data-charts-drawn', String(drawn));
      })();
      """;

  private static final String STYLE = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;
      color:#1d2433;background:#f6f7f9}
      header{display:flex;align-items:center;justify-content:space-between;padding:14px 28px;
      background:#1d2433;color:#fff}
      h1{font-size:20px;margin:0}.subject{font-weight:400;opacity:.8}
      .status{padding:3px 10px;border-radius:12px;font-weight:600}
      .status.ok{background:#2e9d5b}.status.bad{background:#c4372c}
      main{padding:8px 28px 28px}h2{font-size:16px;margin:24px 0 8px}
      dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:12px 0}
      dt{color:#5b6475}dd{margin:0;word-break:break-word}
      table{border-collapse:collapse;background:#fff;width:100%;font-size:13px}
      th,td{border:1px solid #dde1e8;padding:4px 8px;text-align:left;vertical-align:top}
      td{overflow-wrap:anywhere}th{background:#eef1f5;white-space:nowrap}
      tbody tr:nth-child(even){background:#fafbfc}
      figure{margin:12px 0;background:#fff;border:1px solid #dde1e8;border-radius:6px;
      padding:8px}
      figcaption{font-weight:600;font-size:13px;margin-bottom:4px}
      .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}
      .grid figure{margin:0}
      ul.notes li,ul.warnings li{margin:2px 0}ul.warnings{color:#8a4b00}
      #ferry-errors{margin:12px 28px;padding:8px 12px;background:#fde8e6;color:#8c1c13;
      border:1px solid #c4372c}
      footer{padding:12px 28px;color:#5b6475;font-size:12px}
      """;
}
