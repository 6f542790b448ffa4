package dev.ferry.jdbc;

import java.util.regex.Pattern;

/** Removes secrets from text that may reach logs, reports or exceptions. */
public final class Redaction {
  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?i)((?:password|passwd|pwd|secret|token)=)[^&;?\\s]*");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:\\s]*:)[^@/\\s]*@");

  private Redaction() {}

  /** A JDBC URL with passwords in its query string or user-info part replaced by ***. */
  public static String url(String jdbcUrl) {
    if (jdbcUrl == null) {
      return null;
    }
    String redacted = URL_PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
    return USER_INFO.matcher(redacted).replaceAll("$1***@");
  }

  // Shorter secrets are masked only where they stand alone: a password "x" must not turn
  // "does not exist" into "does not e***ist", while a long one is masked wherever it appears.
  private static final int MASKED_ANYWHERE_FROM = 8;

  /**
   * Text with the given secrets replaced by ***: a secret of 8 characters or more wherever it
   * occurs, a shorter one where no letter or digit touches it.
   */
  public static String text(String message, Iterable<String> secrets) {
    if (message == null) {
      return null;
    }
    String result = message;
    for (String secret : secrets) {
      if (secret == null || secret.isEmpty()) {
        continue;
      }
      result = secret.length() >= MASKED_ANYWHERE_FROM ? result.replace(secret, "***")
          : Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(secret)
              + "(?![\\p{L}\\p{N}])").matcher(result).replaceAll("***");
    }
    return url(result);
  }
}
