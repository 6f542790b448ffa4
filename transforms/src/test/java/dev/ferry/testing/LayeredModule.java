package dev.ferry.testing;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The layering rules every module's {@code LayeringTest} checks (it extends this class and names
 * its root package and ranks): every package ranked, no import from a higher layer, no package
 * cycles. One instance for all tests: the module's classes are imported once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LayeredModule {
  private final Layers layers;

  protected LayeredModule(String root, Map<String, Integer> ranks) {
    this.layers = new Layers(root, ranks);
  }

  protected Layers layers() {
    return layers;
  }

  @Test
  void everyPackageHasARank() {
    layers().everyPackageHasARank();
  }

  @Test
  void noPackageImportsFromAHigherLayer() {
    layers().noImportFromAHigherLayer();
  }

  @Test
  void packagesFormNoCycles() {
    layers().noCycles();
  }
}
