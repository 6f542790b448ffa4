package dev.ferry.pipelines.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Sha256;
import dev.ferry.schema.ColumnConversion;
import dev.ferry.schema.ConversionNeed;
import dev.ferry.schema.MySqlValueConversions;
import dev.ferry.schema.TableConversion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The per-table mapping files ({@link dev.ferry.map.MappingSpec} YAML) that a migration copies each
 * table with. ferry generates them from the schema translation; users edit them before running.
 *
 * <p>Every generated file ends with a line holding the SHA-256 of everything above it. A file whose
 * content still matches its hash was not edited and is regenerated when the plan changes (a new
 * {@code --sourceZone} must reach the {@code fromZone} rules, or the copy would be wrong); a file
 * that does not match was edited and is kept, unless {@code --overwrite}.
 */
final class MappingFiles {
  private static final String SIGNATURE = "# ferry-generated sha256=";
  private static final Pattern SIGNED =
      Pattern.compile("(?s)(.*\n)" + Pattern.quote(SIGNATURE) + "([0-9a-f]{64})\n?");
  private static final Pattern FILE_SAFE = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Pattern YAML_BREAKS = Pattern.compile("[\\x{85}\\x{2028}\\x{2029}]");
  private static final Pattern CONTROL =
      Pattern.compile("[\\p{Cntrl}\\x{80}-\\x{9f}\\x{2028}\\x{2029}]");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What happened to one table's file. */
  enum Outcome {
    WRITTEN("written"),
    UPDATED("regenerated"),
    UNCHANGED("unchanged"),
    KEPT_EDITED("kept, edited by you"),
    OVERWRITTEN("overwritten (--overwrite)");

    private final String text;

    Outcome(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private final Path dir;
  private final Map<String, String> fileNames;
  private final List<String> stateSchema;

  /**
   * File names for {@code tables}, unique even on case-insensitive file systems; each file's
   * header names {@code stateSchema}, where the migration keeps the tables' progress.
   */
  MappingFiles(Path dir, List<String> tables, List<String> stateSchema) {
    this.dir = dir;
    this.stateSchema = List.copyOf(stateSchema);
    Map<String, Integer> lowerCaseUses = new HashMap<>();
    tables.forEach(t -> lowerCaseUses.merge(t.toLowerCase(Locale.ROOT), 1, Integer::sum));
    Map<String, String> names = new HashMap<>();
    for (String table : tables) {
      boolean safe = FILE_SAFE.matcher(table).matches() && !table.startsWith(".")
          && table.length() <= 120;
      boolean clashes = lowerCaseUses.get(table.toLowerCase(Locale.ROOT)) > 1;
      String base = safe ? table : table.replaceAll("[^A-Za-z0-9_.-]", "_");
      if (base.length() > 120) {
        base = base.substring(0, 120);
      }
      names.put(table, safe && !clashes ? base + ".yaml"
          : base + "-" + TableTask.crc32(table) + ".yaml");
    }
    this.fileNames = Map.copyOf(names);
  }

  Path fileOf(String table) {
    return dir.resolve(fileNames.get(table));
  }

  /** Writes the table's generated mapping unless the user's edited file must be kept. */
  Outcome write(TableTask table, boolean overwrite) {
    String generated = sign(generate(table, stateSchema));
    Path file = table.mappingFile();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!Files.exists(file)) {
        Files.writeString(file, generated, StandardCharsets.UTF_8);
        return Outcome.WRITTEN;
      }
      String existing = Files.readString(file, StandardCharsets.UTF_8);
      if (existing.equals(generated)) {
        return Outcome.UNCHANGED;
      }
      if (!isUnedited(existing) && !overwrite) {
        return Outcome.KEPT_EDITED;
      }
      Files.writeString(file, generated, StandardCharsets.UTF_8);
      return isUnedited(existing) ? Outcome.UPDATED : Outcome.OVERWRITTEN;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write mapping file " + file + ": " + e.getMessage(),
          e);
    }
  }

  /** Whether the text is a generated file exactly as ferry wrote it. */
  static boolean isUnedited(String text) {
    Matcher m = SIGNED.matcher(text);
    return m.matches() && Sha256.hex(m.group(1)).equals(m.group(2));
  }

  private static String sign(String body) {
    return body + SIGNATURE + Sha256.hex(body) + "\n";
  }

  /**
   * The mapping of one table: {@code fromZone} for DATETIME read into timestamptz, a rename for
   * names PostgreSQL had to shorten, and comments saying what happens to every column.
   */
  static String generate(TableTask task, List<String> stateSchema) {
    TableConversion table = task.conversion();
    Optional<String> sourceQuery = task.sourceQuery();
    StringBuilder yaml = new StringBuilder();
    yaml.append("# ferry mapping of MySQL table ").append(comment(table.sourceTable()))
        .append(" to PostgreSQL table ").append(comment(table.targetTable())).append('\n');
    yaml.append("# Written by `ferry plan` / `ferry migrate`. Edit it as you like: an edited file\n"
        + "# is never overwritten (unless --overwrite); delete it to get the generated one back.\n"
        + "# Format: the backfill's mapping file (README.md, \"A job spec\").\n");
    sourceQuery.ifPresent(q -> yaml.append("#\n# Read with conversions MySQL does while"
        + " reading:\n#   ").append(comment(q)).append('\n'));
    yaml.append("#\n# column: MySQL type -> PostgreSQL type\n");
    for (ColumnConversion c : table.columns()) {
      yaml.append("#   ").append(comment(c.sourceColumn())).append(": ")
          .append(comment(c.sourceType())).append(" -> ").append(comment(c.targetType()));
      String needs = needs(c);
      if (!needs.isEmpty()) {
        yaml.append("  (").append(needs).append(')');
      }
      yaml.append('\n');
    }
    List<String> rules = new ArrayList<>();
    for (ColumnConversion c : table.columns()) {
      List<String> fields = new ArrayList<>();
      fields.add("name: " + quote(c.targetColumn()));
      if (!c.targetColumn().equals(c.sourceColumn())) {
        fields.add("from: " + quote(c.sourceColumn()));
      }
      if (c.needs(ConversionNeed.SOURCE_ZONE) && MySqlValueConversions.expression(c).isEmpty()) {
        fields.add("fromZone: " + quote(c.sourceZone().orElseThrow().getId()));
      }
      if (fields.size() > 1) {
        rules.add("  - {" + String.join(", ", fields) + "}");
      }
    }
    header(yaml, task, stateSchema);
    yaml.append("passthrough: true\n");
    if (rules.isEmpty()) {
      yaml.append("columns: []\n");
    } else {
      yaml.append("columns:\n");
      rules.forEach(r -> yaml.append(r).append('\n'));
    }
    return yaml.toString();
  }

  /**
   * How the migration read and wrote the table, as data: {@code ferry reconcile --mappingFile}
   * reads it and compares what the migration compared (see {@code backfill.MappingFile}).
   */
  private static void header(StringBuilder yaml, TableTask task, List<String> stateSchema) {
    yaml.append("#\n# How ferry migrate read and wrote the table; ferry reconcile and ferry"
        + " backfill\n# use these fields when their flags do not say otherwise.\n");
    yaml.append("job: ").append(quote(task.job())).append('\n');
    yaml.append("source:\n  table: ")
        .append(quote(Dialect.POSTGRESQL.quote(task.sourceTable()))).append('\n');
    task.sourceQuery().ifPresent(q -> yaml.append("  query: ").append(quote(q)).append('\n'));
    yaml.append("  key: [").append(task.key().stream().map(MappingFiles::quote)
        .collect(Collectors.joining(", "))).append("]\n");
    // The DDL turns zero dates into NULL, and so does the copy (TableTask#configure).
    yaml.append("  zeroDates: \"null\"\n");
    yaml.append("target:\n  table: ").append(quote(task.quotedTarget())).append('\n');
    if (!stateSchema.isEmpty()) {
      yaml.append("  stateSchema: ")
          .append(quote(Dialect.POSTGRESQL.quoteQualified(stateSchema))).append('\n');
    }
  }

  private static String needs(ColumnConversion c) {
    return c.needs().stream()
        .map(n -> n.name().toLowerCase(Locale.ROOT).replace('_', ' '))
        .collect(Collectors.joining(", "));
  }

  /**
   * A YAML double-quoted scalar. JSON's escapes are valid YAML; the characters YAML (not JSON)
   * takes for line breaks are escaped too, or YAML would fold them into spaces.
   */
  private static String quote(String text) {
    try {
      return YAML_BREAKS.matcher(JSON.writeValueAsString(text))
          .replaceAll(m -> Matcher.quoteReplacement(
              String.format("\\u%04x", (int) m.group().charAt(0))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Text for a comment line: a line break (or another control character) would end it. */
  private static String comment(String text) {
    return CONTROL.matcher(text).replaceAll("?");
  }
}
