package dev.ferry.pipelines.backfill;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.pipelines.spec.JobSpec;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.pipelines.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A job spec file read, and each of its sides (source, target) turned into an endpoint: the
 * URL, user and password with every secret reference resolved, flags over the spec, and a
 * message naming the spec's field when a side is wrong.
 */
final class SpecSides {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SpecSides() {}

  static JobSpec readSpec(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new SpecException(file.toString(), "(file)", "does not exist or is not a file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      JobSpec spec = YAML.readValue(in, JobSpec.class);
      if (spec == null) {
        throw new SpecException(file.toString(), "(file)", "is empty");
      }
      return spec;
    } catch (UnrecognizedPropertyException e) {
      throw new SpecException(file.toString(), path(e.getPath()), "unknown field '"
          + e.getPropertyName() + "' (known: " + e.getKnownPropertyIds() + ")");
    } catch (JsonMappingException e) {
      throw new SpecException(file.toString(), path(e.getPath()), e.getOriginalMessage());
    } catch (IOException e) {
      throw new SpecException(file.toString(), "(file)", "is not valid YAML: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** A YAML field path for messages: {@code source.key[1]}. */
  static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (var r : refs) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(root)" : sb.toString();
  }

  /** Whether a side's URL is MongoDB's; refused for the jobs that only speak JDBC. */
  static boolean isMongo(String origin, String side, String urlFlag,
      JobSpec.Endpoint spec, boolean mongoAllowed) {
    boolean mongo = MongoEndpoint.isMongoUrl(first(urlFlag, spec.url));
    if (mongo && !mongoAllowed) {
      throw new SpecException(origin, side + ".url", "MongoDB is supported by the backfill job"
          + " only; this job needs a JDBC URL");
    }
    return mongo;
  }

  /** A side's URL, user and password, with every secret reference resolved. */
  static String[] endpointParts(String origin, String side, JobSpec.Endpoint spec,
      String urlFlag, String userFlag, String passwordEnv, String passwordFile, Secrets secrets) {
    String url = first(urlFlag, spec.url);
    if (url == null) {
      throw new SpecException(origin, side + ".url", "required (a JDBC or mongodb:// URL)");
    }
    Secrets.refusePasswordInUrl(url, origin, side + ".url");
    url = secrets.resolve(url, origin, side + ".url");
    String user = secrets.resolve(first(userFlag, spec.user), origin, side + ".user");
    String password;
    if (passwordEnv != null) {
      password = secrets.resolve("${env:" + passwordEnv + "}", "flags", side + "PasswordEnv");
    } else if (passwordFile != null) {
      password = secrets.resolve("${file:" + passwordFile + "}", "flags", side + "PasswordFile");
    } else if (spec.password != null) {
      if (!Secrets.isReference(spec.password)) {
        throw new SpecException(origin, side + ".password", "write ${env:NAME} or ${file:PATH};"
            + " ferry never reads a password from the spec itself");
      }
      password = secrets.resolve(spec.password, origin, side + ".password");
    } else {
      password = null;
    }
    return new String[] {url, user, password};
  }

  static JdbcEndpoint jdbcEndpoint(String origin, String side, String[] parts,
      JobSpec.Endpoint spec, BackfillOptions options) {
    JdbcEndpoint endpoint;
    try {
      endpoint = new JdbcEndpoint(parts[0], parts[1], parts[2]);
    } catch (IllegalArgumentException e) {
      throw new SpecException(origin, side + ".url", e.getMessage());
    }
    int connect = first(options.getConnectTimeoutSeconds(), spec.connectTimeoutSeconds,
        JdbcEndpoint.DEFAULT_CONNECT_TIMEOUT_SECONDS);
    int socket = first(options.getSocketTimeoutSeconds(), spec.socketTimeoutSeconds,
        JdbcEndpoint.DEFAULT_SOCKET_TIMEOUT_SECONDS);
    try {
      return endpoint.withTimeouts(connect, socket);
    } catch (IllegalArgumentException e) {
      throw new SpecException(origin, side + (connect < 1 ? ".connectTimeoutSeconds"
          : ".socketTimeoutSeconds"), e.getMessage());
    }
  }

  static MongoEndpoint mongoEndpoint(String origin, String side, String[] parts) {
    try {
      return new MongoEndpoint(parts[0], parts[1], parts[2]);
    } catch (IllegalArgumentException e) {
      throw new SpecException(origin, side + ".url", e.getMessage());
    }
  }

  @SafeVarargs
  static <T> T first(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
