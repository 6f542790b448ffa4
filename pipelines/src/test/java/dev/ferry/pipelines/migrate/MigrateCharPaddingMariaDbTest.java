package dev.ferry.pipelines.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CHAR(n) in a whole-database migration: PostgreSQL pads a char(n) value to n characters, MySQL
 * strips the padding when it reads one, so `English` arrives as `English` followed by 13 spaces.
 * The copy is correct and the check must say so, on keys and on values, by default.
 */
class MigrateCharPaddingMariaDbTest {
  @TempDir Path tmp;

  @Test
  void paddedCharValuesAndKeysAreVerifiedByDefault() throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    try (Connection c = src.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE language (language_id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT"
          + " PRIMARY KEY, name CHAR(20) NOT NULL, last_update TIMESTAMP NOT NULL"
          + " DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)");
      s.execute("INSERT INTO language (name) VALUES ('English'), ('Italian'), ('Japanese'),"
          + " ('Mandarin'), ('French'), ('German')");
      s.execute("CREATE TABLE codes (code CHAR(10) NOT NULL PRIMARY KEY, label CHAR(8) NULL,"
          + " kind ENUM('a','b') NULL)");
      s.execute("INSERT INTO codes VALUES ('x', 'one', 'a'), ('yy', NULL, 'b'),"
          + " ('zzzzzzzzzz', '', NULL)");
    }
    TestDatabase dst = EmbeddedDatabases.newPostgres();

    MigrationSummary summary = Migrations.migrate(src, dst, tmp.resolve("m"));

    assertEquals(ExitCodes.OK, summary.exitCode, summary.error);
    assertEquals(Map.of("codes", "VERIFIED", "language", "VERIFIED"), Migrations.phases(dst));
    assertEquals(List.of(List.of(20)), dst.query("SELECT octet_length(name) FROM language"
        + " WHERE language_id = 1"), "PostgreSQL pads char(20)");
    for (MigrationSummary.TableResult t : summary.tables) {
      assertTrue(t.detail.contains("checksums in SQL"), t.table + ": " + t.detail);
    }
  }
}
