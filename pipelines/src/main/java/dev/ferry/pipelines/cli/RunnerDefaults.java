package dev.ferry.pipelines.cli;

import dev.ferry.pipelines.job.Flags;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fast defaults for production runs on the DirectRunner. Its immutability and encodability checks
 * copy and re-encode every element, which is right in tests and costly on real tables (2.8× on a
 * 200k-row copy here), so the command line turns them off unless the user set them; tests keep
 * them on. Nothing is added for other runners.
 *
 * <p>Worker threads: a command whose workers mostly wait on the databases (a copy, a reconcile)
 * gets four per core, at least 8, which keeps both databases busy. One whose workers compute in
 * the JVM (the profile parses and sketches every value) gets one per core: more only compete with
 * each other and with the JIT compiler, and the DirectRunner's driver spins on any pool thread
 * left idle (apache/beam#18070); on the 2-core benchmark machine the profile took 0.6 s less.
 */
public final class RunnerDefaults {
  private RunnerDefaults() {}

  /** The defaults for a command whose workers mostly wait on the databases. */
  public static String[] apply(String[] args) {
    return apply(args, false);
  }

  /** The defaults; {@code computeBound}: the command's workers mostly compute in the JVM. */
  public static String[] apply(String[] args, boolean computeBound) {
    String runner = Flags.value(args, "runner");
    if (runner != null && !Flags.namesRunner(runner, "DirectRunner")
        || !onClasspath("org.apache.beam.runners.direct.DirectOptions")) {
      return args;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("enforceImmutability", "false");
    defaults.put("enforceEncodability", "false");
    defaults.put("targetParallelism",
        String.valueOf(computeBound ? cores : Math.max(8, cores * 4)));
    return Flags.withDefaults(args, defaults);
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
