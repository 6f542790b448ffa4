package dev.ferry.record;

/** A value that cannot become the requested kind without changing its meaning. */
public final class ConversionException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConversionException(String message) {
    super(message);
  }
}
