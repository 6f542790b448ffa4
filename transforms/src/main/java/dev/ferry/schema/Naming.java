package dev.ferry.schema;

import java.util.Locale;

/**
 * How source identifiers become PostgreSQL identifiers. PostgreSQL folds unquoted names to lower
 * case, so a table created as {@code "InvoiceLine"} must be quoted in every query; {@link #LOWER}
 * (pgloader's default) and {@link #SNAKE} give names an application can write unquoted.
 */
public enum Naming {
  /** {@code InvoiceLine} → {@code invoiceline}: case folded, nothing else changed. */
  LOWER,
  /**
   * {@code InvoiceLine} → {@code invoice_line}, {@code HTTPStatus} → {@code http_status}, {@code
   * userID2} → {@code user_id2}, {@code order lines} → {@code order_lines}: a word starts at an
   * upper-case letter after a lower-case letter or digit, and at the last capital of an acronym
   * followed by a lower-case letter; spaces and hyphens become underscores.
   */
  SNAKE,
  /** The name exactly as the source spells it (always quoted in the DDL). */
  PRESERVE;

  /** The PostgreSQL spelling of one source identifier (before shortening to 63 bytes). */
  public String apply(String name) {
    switch (this) {
      case LOWER:
        return name.toLowerCase(Locale.ROOT);
      case SNAKE:
        return snake(name);
      default:
        return name;
    }
  }

  /** The flag value, {@code lower}, {@code snake} or {@code preserve}. */
  public String flag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The naming of a flag value. */
  public static Naming fromFlag(String flag) {
    for (Naming naming : values()) {
      if (naming.flag().equals(flag)) {
        return naming;
      }
    }
    throw new IllegalArgumentException("must be lower, snake or preserve, not '" + flag + "'");
  }

  private static String snake(String name) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    int[] cps = name.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      if (c == ' ' || c == '-') {
        c = '_';
      }
      if (Character.isUpperCase(c) && i > 0 && startsWord(cps, i)
          && out.charAt(out.length() - 1) != '_') {
        out.append('_');
      }
      out.appendCodePoint(c);
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /** Whether the upper-case letter at {@code i} begins a word. */
  private static boolean startsWord(int[] cps, int i) {
    int before = cps[i - 1];
    if (Character.isLowerCase(before) || Character.isDigit(before)) {
      return true;
    }
    // HTTPStatus: the S of Status ends the acronym HTTP.
    return Character.isUpperCase(before) && i + 1 < cps.length
        && Character.isLowerCase(cps[i + 1]);
  }
}
