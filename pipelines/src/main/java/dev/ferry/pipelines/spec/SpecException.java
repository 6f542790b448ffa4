package dev.ferry.pipelines.spec;

/** An invalid job spec or flag: names the file, the field and the reason. */
public final class SpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SpecException(String where, String field, String reason) {
    super(where + ": " + field + ": " + reason);
  }

  public SpecException(String message, Throwable cause) {
    super(message, cause);
  }
}
