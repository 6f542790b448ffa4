package dev.ferry.pipelines.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fast defaults for production runs on the DirectRunner. Its immutability and encodability checks
 * copy and re-encode every element, which is right in tests and costly on real tables (2.8× on a
 * 200k-row copy here), so the command line turns them off unless the user set them; tests keep
 * them on. Nothing is added for other runners.
 */
public final class RunnerDefaults {
  private RunnerDefaults() {}

  public static String[] apply(String[] args) {
    List<String> out = new ArrayList<>(Arrays.asList(args));
    String runner = value(args, "runner");
    boolean direct = runner == null || runner.equals("DirectRunner")
        || runner.endsWith(".DirectRunner");
    if (!direct || !onClasspath("org.apache.beam.runners.direct.DirectOptions")) {
      return args;
    }
    addIfMissing(out, args, "enforceImmutability", "false");
    addIfMissing(out, args, "enforceEncodability", "false");
    addIfMissing(out, args, "targetParallelism",
        String.valueOf(Math.max(8, Runtime.getRuntime().availableProcessors() * 4)));
    return out.toArray(new String[0]);
  }

  private static void addIfMissing(List<String> out, String[] args, String flag, String value) {
    if (value(args, flag) == null) {
      out.add("--" + flag + "=" + value);
    }
  }

  private static String value(String[] args, String flag) {
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

  private static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, RunnerDefaults.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
