package dev.ferry.pipelines.report.html;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ECharts option objects for the few kinds of chart the reports draw, as maps and lists that
 * {@link HtmlPage#chart} serialises. Only data and labels vary; the look is set here once.
 */
public final class Charts {
  private static final String BLUE = "#3b6fd8";

  private Charts() {}

  /** Vertical bars: one per category, labelled below. */
  public static Map<String, Object> bars(List<String> categories, List<? extends Number> values,
      String valueName) {
    return bars(categories, values, valueName, BLUE, false);
  }

  /** Horizontal bars, for long category names (top values, columns, tables). */
  public static Map<String, Object> horizontalBars(List<String> categories,
      List<? extends Number> values, String valueName) {
    return bars(categories, values, valueName, BLUE, true);
  }

  /** Bars in a colour of their own (for shares that are problems, such as NULLs). */
  public static Map<String, Object> horizontalBars(List<String> categories,
      List<? extends Number> values, String valueName, String color) {
    return bars(categories, values, valueName, color, true);
  }

  private static Map<String, Object> bars(List<String> categories, List<? extends Number> values,
      String valueName, String color, boolean horizontal) {
    Map<String, Object> categoryAxis = new LinkedHashMap<>();
    categoryAxis.put("type", "category");
    categoryAxis.put("data", categories);
    if (horizontal) {
      // Top to bottom in the given order, as a table reads; long names are cut, not the bars.
      categoryAxis.put("inverse", true);
      categoryAxis.put("axisLabel", Map.of("width", 140, "overflow", "truncate"));
    } else {
      categoryAxis.put("axisLabel", Map.of("rotate", categories.size() > 8 ? 45 : 0));
    }
    Map<String, Object> valueAxis = new LinkedHashMap<>();
    valueAxis.put("type", "value");
    if (!horizontal) {
      valueAxis.put("name", valueName);
    }
    Map<String, Object> series = new LinkedHashMap<>();
    series.put("type", "bar");
    series.put("name", valueName);
    series.put("data", values);
    series.put("itemStyle", Map.of("color", color));
    series.put("label", Map.of("show", values.size() <= 24, "position",
        horizontal ? "right" : "top"));
    Map<String, Object> option = new LinkedHashMap<>();
    option.put("tooltip", Map.of("trigger", "axis"));
    option.put("grid", Map.of("left", horizontal ? 12 : 48, "right", 48, "top", 28,
        "bottom", 8, "containLabel", true));
    option.put(horizontal ? "yAxis" : "xAxis", categoryAxis);
    option.put(horizontal ? "xAxis" : "yAxis", valueAxis);
    option.put("series", List.of(series));
    return option;
  }

  /** A ring of parts of a whole, each part named. */
  public static Map<String, Object> ring(Map<String, ? extends Number> parts) {
    List<Map<String, Object>> data = new java.util.ArrayList<>();
    parts.forEach((name, value) -> data.add(Map.of("name", name, "value", value)));
    Map<String, Object> series = new LinkedHashMap<>();
    series.put("type", "pie");
    series.put("radius", List.of("45%", "70%"));
    series.put("data", data);
    series.put("label", Map.of("formatter", "{b}: {c}"));
    Map<String, Object> option = new LinkedHashMap<>();
    option.put("tooltip", Map.of("trigger", "item"));
    option.put("series", List.of(series));
    return option;
  }
}
