package dev.ferry.pipelines.cli;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code ferry <command> --help}: the command's own flags, read from its options interfaces'
 * {@link Description}s (the same text Beam shows), grouped by interface and, within one, by
 * what they configure. Beam's own {@code --help} lists every registered options interface of
 * the SDK and the runners first, where ferry's flags are hard to find; it stays available as
 * {@code --help=<interface>}.
 */
final class CommandHelp {
  private static final int WRAP = 100;

  private CommandHelp() {}

  static String of(String command, String description, Class<? extends PipelineOptions> options) {
    StringBuilder sb = new StringBuilder(String.format("usage: ferry %s --spec=job.yaml"
        + " [--flag=value ...]%n%n%s%n", command, description));
    for (Class<?> type : ferryInterfaces(options)) {
      Map<String, List<Method>> groups = groups(type);
      for (Map.Entry<String, List<Method>> g : groups.entrySet()) {
        sb.append(String.format("%n%s (%s):%n", g.getKey(), type.getSimpleName()));
        for (Method m : g.getValue()) {
          appendFlag(sb, m);
        }
      }
    }
    sb.append(String.format("%nFlags override the spec's fields. Beam's runner flags (--runner,"
        + " --tempLocation, …): ferry %s --help=org.apache.beam.sdk.options.PipelineOptions,"
        + " or another options interface.%n", command));
    return sb.toString();
  }

  /** {@code options} and the ferry interfaces it extends, the command's own first. */
  private static List<Class<?>> ferryInterfaces(Class<?> options) {
    List<Class<?>> out = new ArrayList<>();
    List<Class<?>> queue = new ArrayList<>(List.of(options));
    while (!queue.isEmpty()) {
      Class<?> type = queue.remove(0);
      if (type.getName().startsWith("dev.ferry.") && !out.contains(type)) {
        out.add(type);
        queue.addAll(List.of(type.getInterfaces()));
      }
    }
    return out;
  }

  /** The described getters of {@code type}, by what they configure, each sorted by name. */
  private static Map<String, List<Method>> groups(Class<?> type) {
    Map<String, List<Method>> groups = new LinkedHashMap<>();
    List<Method> getters = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      if (m.getParameterCount() == 0 && m.isAnnotationPresent(Description.class)
          && property(m) != null) {
        getters.add(m);
      }
    }
    getters.sort(Comparator.comparing(CommandHelp::property));
    String own = type.getSimpleName().replace("Options", "").toLowerCase(Locale.ROOT);
    for (String group : List.of("source", "target", "since")) {
      for (Method m : getters) {
        if (property(m).startsWith(group)) {
          groups.computeIfAbsent(group.equals("since") ? "catch-up" : group,
              g -> new ArrayList<>()).add(m);
        }
      }
    }
    for (Method m : getters) {
      String p = property(m);
      if (!p.startsWith("source") && !p.startsWith("target") && !p.startsWith("since")) {
        groups.computeIfAbsent(own, g -> new ArrayList<>()).add(m);
      }
    }
    return groups;
  }

  private static String property(Method m) {
    String name = m.getName();
    String rest = name.startsWith("get") ? name.substring(3)
        : name.startsWith("is") ? name.substring(2) : null;
    return rest == null || rest.isEmpty() ? null
        : Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
  }

  private static void appendFlag(StringBuilder sb, Method m) {
    Class<?> type = m.getReturnType();
    boolean flag = type == boolean.class || type == Boolean.class;
    String name = "--" + property(m) + (flag ? "" : "=<" + type.getSimpleName() + ">");
    String text = m.getAnnotation(Description.class).value();
    String def = defaultOf(m);
    if (def != null && !text.contains("Default")) {
      text += " Default " + def + ".";
    }
    List<String> lines = wrap(text, WRAP - 4);
    sb.append(String.format("  %s%n", name));
    for (String line : lines) {
      sb.append(String.format("      %s%n", line));
    }
  }

  private static String defaultOf(Method m) {
    if (m.isAnnotationPresent(Default.Integer.class)) {
      return String.valueOf(m.getAnnotation(Default.Integer.class).value());
    }
    if (m.isAnnotationPresent(Default.Long.class)) {
      return String.valueOf(m.getAnnotation(Default.Long.class).value());
    }
    if (m.isAnnotationPresent(Default.Double.class)) {
      return String.valueOf(m.getAnnotation(Default.Double.class).value());
    }
    if (m.isAnnotationPresent(Default.String.class)) {
      return m.getAnnotation(Default.String.class).value();
    }
    if (m.isAnnotationPresent(Default.Boolean.class)) {
      return String.valueOf(m.getAnnotation(Default.Boolean.class).value());
    }
    return null;
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() == 0 ? "" : " ").append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
