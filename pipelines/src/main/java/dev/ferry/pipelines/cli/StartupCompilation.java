package dev.ferry.pipelines.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps HotSpot's optimizing compiler (C2) away from code that only runs while a job starts:
 * reflection, the JDK's class spinning, Beam's options and pipeline construction, Java
 * serialization of the DoFns, class loading and the SCRAM key derivation of each connection.
 * That code is hot for a second, so C2 compiles it for seconds of CPU and never uses the result;
 * on the 2-core benchmark machine it took a core from the databases and the workers for most of
 * a short run (2.7 s of C2 in a 5 s profile). The per-row code (ferry, the JDBC drivers, the JDK's
 * collections and text) keeps C2.
 *
 * <p>The hint is a compiler directive added at run time through the {@code DiagnosticCommand}
 * MBean, on a background thread so that the command does not wait for the management server to
 * start. It applies to this JVM only; a JVM without the MBean (not HotSpot) runs unchanged, and
 * {@code -Dferry.startupCompilation=default} turns it off.
 */
public final class StartupCompilation {
  private static final Logger LOG = LoggerFactory.getLogger(StartupCompilation.class);

  /** Methods C2 leaves alone; C1 still compiles them. */
  static final List<String> STARTUP_ONLY = List.of(
      "com/sun/crypto/provider/PBKDF2KeyImpl.*",
      "jdk/internal/org/objectweb/*.*",
      "jdk/internal/loader/*.*",
      "jdk/internal/reflect/*.*",
      "java/lang/reflect/*.*",
      "sun/reflect/generics/*.*",
      "java/io/ObjectOutputStream*.*",
      "java/io/ObjectInputStream*.*",
      "java/util/zip/ZipFile*.*",
      "org/apache/beam/sdk/options/*.*",
      "org/apache/beam/sdk/util/construction/*.*",
      "org/apache/beam/sdk/transforms/reflect/*.*",
      "org/apache/beam/vendor/bytebuddy/*.*",
      "org/yaml/snakeyaml/*.*");

  private StartupCompilation() {}

  /** Adds the directive in the background, unless turned off. */
  public static void hint() {
    if ("default".equals(System.getProperty("ferry.startupCompilation"))) {
      return;
    }
    Thread t = new Thread(() -> LOG.debug("startup compiler directive: {}", addDirective()),
        "ferry-startup-compilation");
    t.setDaemon(true);
    t.start();
  }

  static String directive() {
    return "[{ match: [\"" + String.join("\", \"", STARTUP_ONLY) + "\"], c2: { Exclude: true } }]";
  }

  /** Adds the directive to this JVM; HotSpot's answer, or why there was none. */
  static String addDirective() {
    Path file = null;
    try {
      file = Files.createTempFile("ferry-compiler-directive", ".json");
      Files.writeString(file, directive(), StandardCharsets.UTF_8);
      return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
          new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()}));
    } catch (Exception | LinkageError e) {
      return "none: " + e;
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          LOG.debug("could not delete {}: {}", file, e.toString());
        }
      }
    }
  }
}
