package dev.ferry.pipelines.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void textEscapesMarkupAndQuotes() {
    assertEquals("&lt;b onclick=&quot;x&#39;&quot;&gt;&amp;amp;&lt;/b&gt;",
        Html.text("<b onclick=\"x'\">&amp;</b>"));
    assertEquals("", Html.text(null));
  }

  /** Data in a script element cannot end it, open a comment, or break a line in old engines. */
  @Test
  void jsonCannotCloseItsScriptAndReadsBackTheSame() throws Exception {
    Map<String, Object> data = Map.of("v", List.of("</script><script>alert(1)</script>",
        "<!-- x", "a\u2028b&c"));
    String json = Html.json(data);
    assertFalse(json.contains("<"), json);
    assertFalse(json.contains(">"), json);
    assertFalse(json.contains("\u2028"), json);
    assertEquals(data, new ObjectMapper().readValue(json, Map.class));
  }

  @Test
  void aPageHasItsChartsDataAndLibraryInlined() {
    HtmlPage page = HtmlPage.of("ferry profile", "<t>", "succeeded", 0);
    page.chart("</figcaption>", Charts.bars(List.of("</script>"), List.of(1), "rows"), 200);
    String html = page.render();
    assertEquals(1, page.chartCount());
    assertTrue(html.contains("<title>ferry profile &lt;t&gt;</title>"));
    assertTrue(html.contains("<figcaption>&lt;/figcaption&gt;</figcaption>"));
    assertTrue(html.contains("\\u003c/script\\u003e"), "category escaped in the chart data");
    assertTrue(html.contains("Apache Software Foundation"), "ECharts inlined");
    assertFalse(html.contains("src=\"http"), "nothing loaded from the network");
  }

  @Test
  void pagesGoBesideTheJsonReport() {
    assertEquals("out/profile.html", ReportPages.besideJson("out/profile.json"));
    assertEquals("gs://b/r.html", ReportPages.besideJson("gs://b/r.json"));
    assertEquals("out/report.txt.html", ReportPages.besideJson("out/report.txt"));
  }
}
