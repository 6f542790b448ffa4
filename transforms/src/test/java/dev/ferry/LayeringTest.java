package dev.ferry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;

/**
 * The library's layering, checked on its compiled classes: a package may use packages of a
 * lower or the same rank, never one above it, and no packages form a cycle. Reading a row,
 * mapping it, writing it and comparing it then build on each other in one direction.
 */
class LayeringTest {
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

  private static final JavaClasses FERRY = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.ferry");

  private static String area(JavaClass c) {
    String rest = c.getPackageName().substring("dev.ferry.".length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  @Test
  void everyPackageHasARank() {
    classes().should(new ArchCondition<JavaClass>("sit in a ranked package") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        if (!RANKS.containsKey(area(c))) {
          events.add(SimpleConditionEvent.violated(c, c.getName()
              + " is in a package without a rank in LayeringTest.RANKS"));
        }
      }
    }).check(FERRY);
  }

  @Test
  void noPackageImportsFromAHigherLayer() {
    classes().should(new ArchCondition<JavaClass>("depend only on their own or lower layers") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        Integer own = RANKS.get(area(c));
        for (Dependency d : c.getDirectDependenciesFromSelf()) {
          JavaClass target = d.getTargetClass();
          if (!target.getPackageName().startsWith("dev.ferry.")) {
            continue;
          }
          Integer rank = RANKS.get(area(target));
          if (own != null && rank != null && rank > own) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()
                + " (" + area(c) + " is below " + area(target) + ")"));
          }
        }
      }
    }).check(FERRY);
  }

  @Test
  void packagesFormNoCycles() {
    slices().matching("dev.ferry.(*)..").should().beFreeOfCycles().check(FERRY);
  }

  @Test
  void transformsNameNoRunner() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.beam.runners..")
        .check(FERRY);
  }

  /** A transform is configured with what a runner implies, never asks which runner it is on. */
  @Test
  void transformsNeverAskForTheirRunner() {
    noClasses().should().callMethod(PipelineOptions.class, "getRunner").check(FERRY);
  }
}
