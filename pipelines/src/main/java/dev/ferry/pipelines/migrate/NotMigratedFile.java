package dev.ferry.pipelines.migrate;

import dev.ferry.jdbc.Dialect;
import dev.ferry.schema.SourceObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code not-migrated.sql} beside the mapping files: the source of every view, trigger and routine
 * the migration did not carry over, each under a comment that names it and says why, for the user
 * to port to PostgreSQL. Rewritten by every plan and run, so it always matches the last one; a
 * migration that leaves nothing behind removes it.
 */
final class NotMigratedFile {
  static final String NAME = "not-migrated.sql";

  /** An object left behind, and why. */
  record Entry(SourceObject object, String reason) {}

  private NotMigratedFile() {}

  /** The triggers and routines of {@code objects}, which ferry never translates, with why. */
  static List<Entry> untranslated(List<SourceObject> objects) {
    return objects.stream().filter(o -> o.kind() != SourceObject.Kind.VIEW)
        .map(o -> new Entry(o, o.kind() == SourceObject.Kind.TRIGGER
            ? "MySQL trigger bodies are not translated; port it to a PL/pgSQL trigger function"
            : "stored routines are not translated; port it to PL/pgSQL"))
        .toList();
  }

  /** Writes the entries to {@code dir}; returns the file, or null when there is nothing to list. */
  static Path write(Path dir, String database, List<Entry> entries) {
    Path file = dir.resolve(NAME);
    try {
      if (entries.isEmpty()) {
        Files.deleteIfExists(file);
        return null;
      }
      StringBuilder sql = new StringBuilder();
      sql.append("-- Objects of MySQL database ").append(oneLine(database))
          .append(" that ferry migrate did not carry over to PostgreSQL.\n")
          .append("-- Each is in MySQL's own SQL, as the server printed it: port it by hand.\n");
      for (Entry e : entries) {
        SourceObject o = e.object();
        sql.append("\n-- ").append(oneLine(o.describe())).append("\n-- why: ")
            .append(oneLine(e.reason())).append('\n');
        if (o.kind() == SourceObject.Kind.VIEW) {
          // The server keeps a view's SELECT only.
          sql.append("CREATE VIEW ").append(Dialect.MYSQL.quote(o.name())).append(" AS ");
        }
        sql.append(o.definition().strip()).append(";\n");
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, sql.toString(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static String oneLine(String text) {
    return text.replaceAll("[\\r\\n]+", " ");
  }
}
