package dev.ferry.pipelines.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reading and adding {@code --name=value} flags before Beam parses them: the command line and
 * each runner's launcher add their defaults for a runner only when the user set none, so they
 * look at the raw arguments, where Beam's options do not exist yet.
 */
public final class Flags {
  private Flags() {}

  /**
   * The value of {@code --flag=value} (the first one), {@code "true"} for a bare {@code --flag},
   * null when it is absent.
   */
  public static String value(String[] args, String flag) {
    for (String a : args) {
      if (a.equals("--" + flag)) {
        return "true";
      }
      if (a.startsWith("--" + flag + "=")) {
        return a.substring(flag.length() + 3);
      }
    }
    return null;
  }

  /**
   * Whether the {@code --runner} value {@code given} names the runner called {@code simpleName},
   * as Beam accepts it: the simple name or the class name.
   */
  public static boolean namesRunner(String given, String simpleName) {
    return given != null && (given.equals(simpleName) || given.endsWith("." + simpleName));
  }

  /** {@code args} followed by {@code --flag=value} for each of {@code defaults} not given. */
  public static String[] withDefaults(String[] args, Map<String, String> defaults) {
    List<String> out = new ArrayList<>(Arrays.asList(args));
    defaults.forEach((flag, v) -> {
      if (value(args, flag) == null) {
        out.add("--" + flag + "=" + v);
      }
    });
    return out.toArray(new String[0]);
  }
}
