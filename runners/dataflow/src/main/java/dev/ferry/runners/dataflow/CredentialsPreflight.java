package dev.ferry.runners.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds Google Cloud credentials the way Application Default Credentials do, without the
 * network: the file named by {@code GOOGLE_APPLICATION_CREDENTIALS}, gcloud's
 * {@code application_default_credentials.json}, or a Google Cloud machine with a metadata server.
 *
 * <p>Why before the job: without credentials Beam logs "Failed to get GCP credentials;
 * proceeding with 'null' credentials", waits minutes for a metadata server that is not there
 * and fails while staging, long after ferry planned its ranges in the target database. The
 * order and the file names are those of google-auth-library's {@code DefaultCredentialsProvider};
 * whether the credentials are still valid is only known to Google Cloud.
 */
final class CredentialsPreflight {
  static final String ENV_FILE = "GOOGLE_APPLICATION_CREDENTIALS";
  // the metadata server named; a Flex Template launcher (ferry's launch.sh sets it); Cloud Run
  private static final List<String> RUNTIMES = List.of("GCE_METADATA_HOST",
      "FLEX_TEMPLATE_JAVA_MAIN_CLASS", "K_SERVICE", "CLOUD_RUN_JOB");
  private static final Path PRODUCT_NAME = Path.of("/sys/class/dmi/id/product_name");
  // the types google-auth-library's GoogleCredentials.fromStream accepts
  private static final Set<String> TYPES = Set.of("authorized_user", "service_account",
      "external_account", "external_account_authorized_user", "impersonated_service_account",
      "gdch_service_account");

  private final Map<String, String> env;
  private final Path home;
  private final Path productName;

  CredentialsPreflight(Map<String, String> env, Path home, Path productName) {
    this.env = env;
    this.home = home;
    this.productName = productName;
  }

  /** The environment, home directory and hardware of this JVM. */
  static CredentialsPreflight ofThisMachine() {
    return new CredentialsPreflight(System.getenv(), Path.of(System.getProperty("user.home")),
        PRODUCT_NAME);
  }

  /**
   * Why the job could not get credentials; empty when it can, or when {@code flags} name a
   * credential factory of their own (then that factory decides).
   */
  List<String> problems(Map<String, String> flags) {
    String factory = flags.get("credentialFactoryClass");
    if (factory != null && !factory.endsWith(".GcpCredentialFactory")) {
      return List.of();
    }
    String named = env.get(ENV_FILE);
    if (named != null && !named.isBlank()) {
      // ADC does not look further when this variable is set: a bad file fails the job.
      String problem = unusable(Path.of(named));
      return problem == null ? List.of()
          : List.of(ENV_FILE + "=" + named + ": " + problem + "; point it at a service account"
              + " key file (JSON) or unset it to use gcloud's or the machine's credentials");
    }
    Path gcloud = gcloudFile();
    if (Files.exists(gcloud)) {
      String problem = unusable(gcloud);
      return problem == null ? List.of()
          : List.of(gcloud + ": " + problem + "; run `gcloud auth application-default login`"
              + " again");
    }
    if (onGoogleCloud()) {
      return List.of();
    }
    return List.of("no Google Cloud credentials on this machine: set " + ENV_FILE + " to a"
        + " service account key file, or run `gcloud auth application-default login`, or launch"
        + " on a Google Cloud VM or GKE pod that has a service account (checked: " + ENV_FILE
        + " unset, no " + gcloud + ", not a Google Cloud machine)");
  }

  /** gcloud's ADC file: under $CLOUDSDK_CONFIG, else %APPDATA%\gcloud or ~/.config/gcloud. */
  private Path gcloudFile() {
    String config = env.get("CLOUDSDK_CONFIG");
    Path dir;
    if (config != null && !config.isBlank()) {
      dir = Path.of(config);
    } else if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("windows")
        && env.get("APPDATA") != null) {
      dir = Path.of(env.get("APPDATA"), "gcloud");
    } else {
      dir = home.resolve(".config").resolve("gcloud");
    }
    return dir.resolve("application_default_credentials.json");
  }

  /** Why {@code file} cannot hold credentials; null when it looks like it does. */
  private static String unusable(Path file) {
    if (!Files.isRegularFile(file)) {
      return "no such file";
    }
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Files.isReadable(file) ? "not a JSON credentials file" : "not readable";
    }
    String type = json != null && json.hasNonNull("type") ? json.get("type").asText() : null;
    if (type == null) {
      return "not a credentials file (it has no \"type\")";
    }
    return TYPES.contains(type) ? null : "credentials of type \"" + type + "\", which Google's"
        + " client libraries do not know";
  }

  /**
   * A Compute Engine machine (also a GKE node's pods), a Flex Template launcher or Cloud Run
   * (sandboxes where the hardware name may be hidden; both set their own variables), or an
   * explicitly named metadata server.
   */
  private boolean onGoogleCloud() {
    if ("true".equalsIgnoreCase(env.get("NO_GCE_CHECK"))) {
      return false;
    }
    if (RUNTIMES.stream().anyMatch(env::containsKey)) {
      return true;
    }
    try {
      return Files.isReadable(productName)
          && Files.readString(productName, StandardCharsets.UTF_8).strip().startsWith("Google");
    } catch (IOException e) {
      return false;
    }
  }
}
