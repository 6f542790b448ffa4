package dev.ferry.pipelines.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${file:PATH}} references. Secrets never live in a spec
 * or on a command line (both end up in shell history, CI logs and Airflow's UI); they come from
 * the environment or from a file such as a mounted Kubernetes or Docker secret.
 */
public final class Secrets {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");
  /**
   * A password among a URL's properties, however the driver takes them: {@code ?password=},
   * {@code &password1=} (MySQL's second factors), {@code ;password=}, the key-value host form
   * {@code (host=h,password=p)}, and other secrets named so ({@code sslpassword},
   * {@code trustCertificateKeyStorePassword}); group 1 is the value.
   */
  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?i)[?&;,(]\\s*[a-z]*(?:password|passwd|pwd)[0-9]*\\s*=([^&;,)\\s]*)");
  /** A user-info part with a password, {@code //user:secret@host}, for every host listed. */
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("[/,][^/?#,:@]*:([^/?#@,]*)@");

  private final Map<String, String> environment;

  public Secrets(Map<String, String> environment) {
    this.environment = environment;
  }

  public static Secrets fromSystem() {
    return new Secrets(System.getenv());
  }

  public static boolean isReference(String value) {
    return value != null && REFERENCE.matcher(value.trim()).matches();
  }

  /**
   * Refuses a URL that carries a literal password, as a literal password in a spec is refused:
   * URLs are logged, shown by schedulers and kept in shell history. A {@code ${env:NAME}} or
   * {@code ${file:PATH}} reference in its place is allowed. The message names the field and the
   * way to give the password, never the URL or the password.
   */
  public static void refusePasswordInUrl(String url, String file, String field) {
    if (url == null) {
      return;
    }
    for (Pattern p : new Pattern[] {URL_PASSWORD, USER_INFO_PASSWORD}) {
      Matcher m = p.matcher(url);
      while (m.find()) {
        if (!isReference(m.group(1))) {
          throw new SpecException(file, field, "holds a password; remove it from the URL and"
              + " give it as password: ${env:NAME} or ${file:PATH} in the spec, or with"
              + " --sourcePasswordEnv/--targetPasswordEnv (or ...PasswordFile)");
        }
      }
    }
  }

  /** Replaces every reference in {@code value}; {@code where} names the field in errors. */
  public String resolve(String value, String file, String field) {
    if (value == null) {
      return null;
    }
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String kind = m.group(1);
      String name = m.group(2).trim();
      String resolved;
      if (kind.equals("env")) {
        resolved = environment.get(name);
        if (resolved == null) {
          throw new SpecException(file, field, "environment variable " + name + " is not set");
        }
      } else {
        try {
          resolved = Files.readString(Path.of(name), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          throw new SpecException(file, field, "cannot read secret file " + name + " ("
              + e.getClass().getSimpleName() + ")");
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    return out.toString();
  }
}
