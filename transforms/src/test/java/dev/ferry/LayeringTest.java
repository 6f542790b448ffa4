package dev.ferry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import dev.ferry.testing.LayeredModule;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;

/**
 * The library's layering, checked on its compiled classes: a package may use packages of a
 * lower or the same rank, never one above it, and no packages form a cycle. Reading a row,
 * mapping it, writing it and comparing it then build on each other in one direction.
 */
class LayeringTest extends LayeredModule {
  /** Rank of each package; a class may depend on its own package and on lower ranks only. */
  static final Map<String, Integer> RANKS = Map.ofEntries(
      Map.entry("record", 0), Map.entry("retry", 0),
      Map.entry("jdbc", 1), Map.entry("map", 1),
      Map.entry("schema", 2), Map.entry("plan", 2),
      Map.entry("read", 3),
      Map.entry("write", 4), Map.entry("progress", 4),
      Map.entry("fill", 5), Map.entry("digest", 5),
      Map.entry("mongo", 6),
      Map.entry("enrich", 7), Map.entry("profile", 7), Map.entry("reconcile", 7));

  LayeringTest() {
    super("dev.ferry", RANKS);
  }

  @Test
  void transformsNameNoRunner() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.beam.runners..")
        .check(layers().classes());
  }

  /** A transform is configured with what a runner implies, never asks which runner it is on. */
  @Test
  void transformsNeverAskForTheirRunner() {
    noClasses().should().callMethod(PipelineOptions.class, "getRunner")
        .check(layers().classes());
  }
}
