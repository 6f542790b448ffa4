package dev.ferry.pipelines;

import dev.ferry.testing.LayeredModule;
import java.util.Map;

/**
 * The jobs' layering: specs and the job core at the bottom, the backfill that every other job
 * builds on, the jobs, and the command line on top; no package cycles.
 */
class LayeringTest extends LayeredModule {
  static final Map<String, Integer> RANKS = Map.ofEntries(
      Map.entry("spec", 0), Map.entry("job", 0),
      Map.entry("report", 1), Map.entry("mongo", 1),
      Map.entry("backfill", 2),
      Map.entry("fill", 3), Map.entry("profile", 3),
      Map.entry("reconcile", 4), Map.entry("dryrun", 4),
      Map.entry("deadletters", 5), Map.entry("migrate", 5), Map.entry("sync", 5),
      Map.entry("cli", 6));

  LayeringTest() {
    super("dev.ferry.pipelines", RANKS);
  }
}
