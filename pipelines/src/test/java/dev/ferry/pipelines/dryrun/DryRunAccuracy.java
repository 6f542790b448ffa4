package dev.ferry.pipelines.dryrun;

import dev.ferry.pipelines.cli.Ferry;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a test: measures how close the dry run's time estimate comes to the backfill it
 * estimates, on embedded databases, as a user would run both (each a fresh {@code ferry} JVM).
 * A MariaDB {@code orders} table of {@code ROWS} rows (ENUM, DECIMAL, DATETIME, TINYINT(1),
 * TEXT, TIMESTAMP) goes into PostgreSQL. Run by {@code bench/dryrun-accuracy.sh}.
 */
public final class DryRunAccuracy {
  private DryRunAccuracy() {}

  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(System.getenv().getOrDefault("ROWS", "50000"));
    int repeats = Integer.parseInt(System.getenv().getOrDefault("REPEATS", "1"));
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT,"
        + " status ENUM('new','paid','shipped','cancelled') NOT NULL, amount DECIMAL(12,2),"
        + " created DATETIME, gift TINYINT(1), note TEXT,"
        + " updated TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        "INSERT INTO orders (status, amount, created, gift, note) SELECT"
            + " ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'cancelled'), seq * 1.25,"
            + " '2024-01-01' + INTERVAL seq MINUTE, seq % 2, REPEAT('note ', 1 + seq % 20)"
            + " FROM seq_1_to_" + rows);
    for (int i = 0; i < repeats; i++) {
      TestDatabase dry = EmbeddedDatabases.newPostgres();
      TestDatabase real = EmbeddedDatabases.newPostgres();
      List<String> common = List.of("--sourceUrl=" + src.jdbcUrl(), "--sourceUser=" + src.user(),
          "--sourceTable=orders", "--targetTable=orders", "--stateSchema=ferry",
          "--createTarget");
      // The dry run writes its sample into an existing target table, as --createTarget makes it.
      dry.execute("CREATE TABLE orders (id integer PRIMARY KEY, status varchar(9) NOT NULL,"
          + " amount numeric(12,2), created timestamp, gift boolean, note text,"
          + " updated timestamptz NOT NULL)");
      String estimate = run("dryrun", dry, common, "--job=orders");
      long start = System.nanoTime();
      String backfill = run("backfill", real, common, "--job=orders");
      double wall = (System.nanoTime() - start) / 1e9;
      System.out.println("---- dry run ----\n" + estimate);
      System.out.println("---- backfill ----\n" + backfill);
      System.out.printf("RESULT rows=%d estimate=%s backfill_summary_seconds=%s"
          + " backfill_process_seconds=%.1f%n", rows, find(estimate, "estimate\\s+full table of"
          + " [\\d,]+ rows: ([\\d.]+ s|\\S+ \\S+)"), find(backfill, "dead-lettered in ([\\d.]+) s"),
          wall);
    }
    System.exit(0);
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : "?";
  }

  /** Runs {@code ferry <command>} in a fresh JVM as the CLI would; returns its output. */
  private static String run(String command, TestDatabase target, List<String> common,
      String... more) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
        System.getProperty("java.class.path"), Ferry.class.getName(), command,
        "--targetUrl=" + target.jdbcUrl(), "--targetUser=" + target.user()));
    cmd.addAll(common);
    cmd.addAll(List.of(more));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.contains(" DEBUG ") && !line.contains(" TRACE ")) {
          out.append(line).append('\n');
        }
      }
    }
    p.waitFor();
    Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "ferry-" + command
        + ".log"), out);
    return out.toString();
  }
}
