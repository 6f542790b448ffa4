package dev.ferry.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.ferry.jdbc.Redaction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.bson.UuidRepresentation;

/**
 * A MongoDB database to connect to: a {@code mongodb://} or {@code mongodb+srv://} URL naming the
 * database in its path, and optionally a user whose password was resolved from a secret. The
 * password is handed to the driver as a credential, never put into the URL; {@link #toString()}
 * and {@link #redact} remove it (and any password written into the URL) from everything that may
 * reach a log or an exception.
 */
public final class MongoEndpoint implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final String user;
  private final String password;
  private final String database;

  public MongoEndpoint(String url, String user, String password) {
    this.url = Objects.requireNonNull(url, "url");
    if (!isMongoUrl(url)) {
      throw new IllegalArgumentException("not a MongoDB URL (mongodb:// or mongodb+srv://): "
          + Redaction.url(url));
    }
    ConnectionString parsed;
    try {
      parsed = new ConnectionString(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid MongoDB URL " + Redaction.url(url) + ": "
          + Redaction.text(e.getMessage(), secrets(parsedPassword(url), password)), null);
    }
    if (parsed.getDatabase() == null) {
      throw new IllegalArgumentException("the MongoDB URL " + Redaction.url(url)
          + " names no database: write mongodb://host:27017/DATABASE");
    }
    this.user = user;
    this.password = password;
    this.database = parsed.getDatabase();
  }

  /** True for the URLs this class accepts; a job spec picks MongoDB or JDBC by it. */
  public static boolean isMongoUrl(String url) {
    return url != null && (url.startsWith("mongodb://") || url.startsWith("mongodb+srv://"));
  }

  public String database() {
    return database;
  }

  public String url() {
    return url;
  }

  /**
   * A new client; the caller closes it. Standard UUID representation (binary subtype 4), so
   * UUIDs are portable between drivers; a short server selection timeout, so an unreachable
   * server fails a step rather than hanging it.
   */
  public MongoClient connect() {
    MongoClientSettings.Builder settings = MongoClientSettings.builder()
        .applyConnectionString(new ConnectionString(url))
        .uuidRepresentation(UuidRepresentation.STANDARD)
        .applyToClusterSettings(c -> c.serverSelectionTimeout(30, TimeUnit.SECONDS));
    if (user != null) {
      ConnectionString parsed = new ConnectionString(url);
      String source = parsed.getCredential() != null ? parsed.getCredential().getSource()
          : "admin";
      settings.credential(MongoCredential.createCredential(user, source,
          password == null ? new char[0] : password.toCharArray()));
    }
    return MongoClients.create(settings.build());
  }

  /** The database of this endpoint on an open client. */
  public MongoDatabase database(MongoClient client) {
    return client.getDatabase(database);
  }

  /** Message text with this endpoint's secrets (and any URL password) removed. */
  public String redact(String message) {
    return Redaction.text(message, secrets(parsedPassword(url), password));
  }

  private static List<String> secrets(String... values) {
    List<String> list = new ArrayList<>();
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        list.add(v);
      }
    }
    return list;
  }

  private static String parsedPassword(String url) {
    int scheme = url.indexOf("://");
    int at = url.indexOf('@', scheme + 3);
    int slash = url.indexOf('/', scheme + 3);
    if (scheme < 0 || at < 0 || (slash >= 0 && slash < at)) {
      return null;
    }
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    return colon < 0 ? null : userInfo.substring(colon + 1);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MongoEndpoint)) {
      return false;
    }
    MongoEndpoint e = (MongoEndpoint) o;
    return url.equals(e.url) && Objects.equals(user, e.user)
        && Objects.equals(password, e.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, user);
  }

  @Override
  public String toString() {
    return Redaction.url(url) + (user == null ? "" : " as " + user);
  }
}
