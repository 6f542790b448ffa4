package dev.ferry.pipelines;

import dev.ferry.testing.Layers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The jobs' layering: specs and the job core at the bottom, the backfill that every other job
 * builds on, the jobs, and the command line on top; no package cycles.
 */
class LayeringTest {
  static final Map<String, Integer> RANKS = Map.ofEntries(
      Map.entry("spec", 0), Map.entry("job", 0),
      Map.entry("report", 1), Map.entry("mongo", 1),
      Map.entry("backfill", 2),
      Map.entry("fill", 3), Map.entry("profile", 3),
      Map.entry("reconcile", 4), Map.entry("dryrun", 4),
      Map.entry("deadletters", 5), Map.entry("migrate", 5), Map.entry("sync", 5),
      Map.entry("cli", 6));

  private static final Layers LAYERS = new Layers("dev.ferry.pipelines", RANKS);

  @Test
  void everyPackageHasARank() {
    LAYERS.everyPackageHasARank();
  }

  @Test
  void noPackageImportsFromAHigherLayer() {
    LAYERS.noImportFromAHigherLayer();
  }

  @Test
  void packagesFormNoCycles() {
    LAYERS.noCycles();
  }
}
