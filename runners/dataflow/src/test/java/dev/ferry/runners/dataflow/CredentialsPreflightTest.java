package dev.ferry.runners.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Application Default Credentials looked up offline: each place, and what is said without. */
class CredentialsPreflightTest {
  private static final String KEY = "{\"type\": \"service_account\", \"project_id\": \"p\"}";

  @TempDir Path home;
  private final Map<String, String> env = new HashMap<>();

  private List<String> problems(Map<String, String> flags) {
    return new CredentialsPreflight(env, home, home.resolve("product_name")).problems(flags);
  }

  private List<String> problems() {
    return problems(Map.of());
  }

  private String onlyProblem() {
    List<String> problems = problems();
    assertEquals(1, problems.size(), problems.toString());
    return problems.get(0);
  }

  @Test
  void withoutAnyItSaysWhatToSet() {
    String problem = onlyProblem();
    assertTrue(problem.startsWith("no Google Cloud credentials on this machine: set"
        + " GOOGLE_APPLICATION_CREDENTIALS to a service account key file, or run `gcloud auth"
        + " application-default login`"), problem);
  }

  @Test
  void aKeyFileNamedByTheEnvironment() throws Exception {
    Path key = Files.writeString(home.resolve("key.json"), KEY);
    env.put("GOOGLE_APPLICATION_CREDENTIALS", key.toString());
    assertEquals(List.of(), problems());
  }

  @Test
  void aNamedFileThatIsMissingOrNotCredentials() throws Exception {
    env.put("GOOGLE_APPLICATION_CREDENTIALS", home.resolve("gone.json").toString());
    assertTrue(onlyProblem().startsWith("GOOGLE_APPLICATION_CREDENTIALS=" + home.resolve(
        "gone.json") + ": no such file"), onlyProblem());
    Path text = Files.writeString(home.resolve("notes.txt"), "not json");
    env.put("GOOGLE_APPLICATION_CREDENTIALS", text.toString());
    assertTrue(onlyProblem().contains(": not a JSON credentials file"), onlyProblem());
    Path other = Files.writeString(home.resolve("other.json"), "{\"type\": \"api_key\"}");
    env.put("GOOGLE_APPLICATION_CREDENTIALS", other.toString());
    assertTrue(onlyProblem().contains("credentials of type \"api_key\""), onlyProblem());
    // a bad named file is not rescued by gcloud's: ADC stops at the variable
    writeGcloudFile(home.resolve(".config/gcloud"));
    assertEquals(1, problems().size());
  }

  @Test
  void gcloudsApplicationDefaultCredentials() throws Exception {
    writeGcloudFile(home.resolve(".config/gcloud"));
    assertEquals(List.of(), problems());
  }

  @Test
  void gcloudsConfigurationDirectoryFromTheEnvironment() throws Exception {
    Path config = home.resolve("elsewhere");
    env.put("CLOUDSDK_CONFIG", config.toString());
    assertEquals(1, problems().size());
    writeGcloudFile(config);
    assertEquals(List.of(), problems());
  }

  @Test
  void aGoogleCloudMachineHasItsMetadataServer() throws Exception {
    Files.writeString(home.resolve("product_name"), "Google Compute Engine\n");
    assertEquals(List.of(), problems());
    env.put("NO_GCE_CHECK", "true");
    assertEquals(1, problems().size());
    env.remove("NO_GCE_CHECK");
    Files.writeString(home.resolve("product_name"), "Standard PC (Q35 + ICH9, 2009)\n");
    assertEquals(1, problems().size());
    env.put("GCE_METADATA_HOST", "169.254.169.254");
    assertEquals(List.of(), problems());
    env.remove("GCE_METADATA_HOST");
    env.put("FLEX_TEMPLATE_JAVA_MAIN_CLASS", FerryDataflow.class.getName());
    assertEquals(List.of(), problems(), "a Flex Template's launcher runs on Google Cloud");
  }

  @Test
  void aCredentialFactoryOfTheUsersOwnDecidesItself() {
    assertEquals(List.of(), problems(Map.of("credentialFactoryClass",
        "org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory")));
    assertEquals(1, problems(Map.of("credentialFactoryClass",
        "org.apache.beam.sdk.extensions.gcp.auth.GcpCredentialFactory")).size());
  }

  private static void writeGcloudFile(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application_default_credentials.json"),
        "{\"type\": \"authorized_user\", \"client_id\": \"x\"}");
  }
}
