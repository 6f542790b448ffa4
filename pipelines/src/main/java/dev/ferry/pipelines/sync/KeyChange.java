package dev.ferry.pipelines.sync;

import java.util.Arrays;

/**
 * One captured change reduced to what the applier needs: the source key of the row it touched.
 * Inserts, updates and deletes are all applied the same way, by reading the key's current row
 * from the source ({@link ChangeApplier}), so the change's own column values are not kept.
 */
final class KeyChange {
  private final Object[] key;

  KeyChange(Object[] key) {
    this.key = key;
  }

  Object[] key() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyChange && Arrays.equals(key, ((KeyChange) o).key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return Arrays.toString(key);
  }
}
