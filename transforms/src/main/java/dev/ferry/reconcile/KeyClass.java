package dev.ferry.reconcile;

import java.util.Locale;

/** What a key's rows on the two sides say about it. */
public enum KeyClass {
  /** One row on each side, equal. */
  MATCH,
  /** Rows on the source only: never copied, or dead-lettered. */
  MISSING,
  /** Rows on the target only. */
  EXTRA,
  /**
   * More than one row on either side: a target without a unique key, or several source rows that
   * map to one key. Decided before comparing values, which cannot say which copy is right.
   */
  DUPLICATE,
  /** One row on each side whose values differ in the named columns. */
  MISMATCHED;

  /** The lower-case name used in reports and files. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static KeyClass fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
