package dev.ferry.schema;

import java.util.Objects;

/**
 * A column's DEFAULT as the source declares it, normalised across the MySQL and MariaDB spellings
 * of information_schema (MariaDB quotes string literals there, MySQL does not).
 *
 * @param kind how to read {@code text}
 * @param text the literal's unquoted value, the bit digits, or the expression in MySQL syntax
 */
public record ColumnDefault(Kind kind, String text) {

  /** How to read {@link ColumnDefault#text()}. */
  public enum Kind {
    /** A constant; the text is its unquoted value, for example {@code it's} or {@code 0.00}. */
    LITERAL,
    /** A bit-value literal; the text holds its binary digits, {@code 101} for {@code b'101'}. */
    BITS,
    /** An expression evaluated on insert, for example {@code current_timestamp()}. */
    EXPRESSION
  }

  public ColumnDefault {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
  }

  public static ColumnDefault literal(String text) {
    return new ColumnDefault(Kind.LITERAL, text);
  }

  public static ColumnDefault bits(String digits) {
    return new ColumnDefault(Kind.BITS, digits);
  }

  public static ColumnDefault expression(String text) {
    return new ColumnDefault(Kind.EXPRESSION, text);
  }
}
