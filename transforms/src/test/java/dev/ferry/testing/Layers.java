package dev.ferry.testing;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.Map;

/**
 * A module's layering, checked on its compiled main classes (ArchUnit): every package below
 * {@code root} has a rank, a class uses its own package and lower ranks only, and no packages
 * form a cycle.
 */
public final class Layers {
  private final String root;
  private final Map<String, Integer> ranks;
  private final JavaClasses classes;

  public Layers(String root, Map<String, Integer> ranks) {
    this.root = root;
    this.ranks = ranks;
    this.classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages(root);
  }

  public JavaClasses classes() {
    return classes;
  }

  /** The package right below the root that a class belongs to. */
  private String area(JavaClass c) {
    String rest = c.getPackageName().substring(root.length() + 1);
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  private boolean inRoot(JavaClass c) {
    return c.getPackageName().startsWith(root + ".");
  }

  public void everyPackageHasARank() {
    ArchRuleDefinition.classes().should(new ArchCondition<JavaClass>("sit in a ranked package") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        if (inRoot(c) && !ranks.containsKey(area(c))) {
          events.add(SimpleConditionEvent.violated(c, c.getName()
              + " is in a package without a rank in the layering test"));
        }
      }
    }).check(classes);
  }

  public void noImportFromAHigherLayer() {
    ArchRuleDefinition.classes().should(new ArchCondition<JavaClass>("depend only on their own or lower layers") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        if (!inRoot(c)) {
          return;
        }
        Integer own = ranks.get(area(c));
        for (Dependency d : c.getDirectDependenciesFromSelf()) {
          JavaClass target = d.getTargetClass();
          if (!inRoot(target)) {
            continue;
          }
          Integer rank = ranks.get(area(target));
          if (own != null && rank != null && rank > own) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()
                + " (" + area(c) + " is below " + area(target) + ")"));
          }
        }
      }
    }).check(classes);
  }

  public void noCycles() {
    slices().matching(root + ".(*)..").should().beFreeOfCycles().check(classes);
  }
}
