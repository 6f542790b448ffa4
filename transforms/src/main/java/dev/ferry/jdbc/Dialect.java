package dev.ferry.jdbc;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What differs between the SQL engines ferry talks to: identifier quoting, upsert syntax and how
 * a large result set is streamed instead of loaded whole.
 */
public enum Dialect {
  POSTGRESQL('"'),
  MYSQL('`');

  private final char quote;

  Dialect(char quote) {
    this.quote = quote;
  }

  /** The dialect of a JDBC URL; MariaDB URLs count as MySQL. */
  public static Dialect fromUrl(String jdbcUrl) {
    String url = jdbcUrl == null ? "" : jdbcUrl.toLowerCase(Locale.ROOT);
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
      return MYSQL;
    }
    throw new IllegalArgumentException(
        "unsupported JDBC URL (expected jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb:): "
            + Redaction.url(jdbcUrl));
  }

  /**
   * Quotes one identifier so that reserved words, mixed case, spaces and quote characters are
   * taken literally. Names with NUL characters are refused: no engine can store them and they
   * are a common way to smuggle SQL past naive checks.
   */
  public String quote(String identifier) {
    if (identifier == null || identifier.isEmpty()) {
      throw new IllegalArgumentException("an identifier must not be empty");
    }
    if (identifier.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("identifier contains a NUL character: " + identifier);
    }
    String q = String.valueOf(quote);
    return q + identifier.replace(q, q + q) + q;
  }

  /**
   * Quotes a possibly schema-qualified name given as a list of parts, for example
   * {@code ["sales", "Order Lines"]}.
   */
  public String quoteQualified(List<String> parts) {
    return parts.stream().map(this::quote).collect(Collectors.joining("."));
  }

  /** Quotes each column name and joins them with commas. */
  public String columnList(List<String> columns) {
    return columns.stream().map(this::quote).collect(Collectors.joining(", "));
  }
}
