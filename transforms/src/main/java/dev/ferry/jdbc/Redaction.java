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

  /** Text with every occurrence of the given secrets replaced by ***. */
  public static String text(String message, Iterable<String> secrets) {
    if (message == null) {
      return null;
    }
    String result = message;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        result = result.replace(secret, "***");
      }
    }
    return url(result);
  }
}
