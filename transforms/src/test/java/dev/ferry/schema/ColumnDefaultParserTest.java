package dev.ferry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The two spellings of COLUMN_DEFAULT. MariaDB's is also covered against a real server by {@link
 * MySqlCatalogTest}; no MySQL server runs here, so MySQL's spelling is checked on its documented
 * form only.
 */
class ColumnDefaultParserTest {
  @Test
  void mariaDbQuotesLiteralsAndSpellsNullOut() {
    assertEquals(Optional.empty(), ColumnDefaultParser.mariaDb(null));
    assertEquals(Optional.empty(), ColumnDefaultParser.mariaDb("NULL"));
    assertEquals(
        Optional.of(ColumnDefault.literal("it's a\\b")),
        ColumnDefaultParser.mariaDb("'it''s a\\\\b'"));
    assertEquals(Optional.of(ColumnDefault.literal("")), ColumnDefaultParser.mariaDb("''"));
    assertEquals(Optional.of(ColumnDefault.literal("-1.5")), ColumnDefaultParser.mariaDb("-1.5"));
    assertEquals(Optional.of(ColumnDefault.bits("0110")), ColumnDefaultParser.mariaDb("b'0110'"));
    assertEquals(
        Optional.of(ColumnDefault.expression("current_timestamp()")),
        ColumnDefaultParser.mariaDb("current_timestamp()"));
    assertEquals(
        Optional.of(ColumnDefault.expression("`a` + 1")), ColumnDefaultParser.mariaDb("`a` + 1"));
  }

  @Test
  void mySqlShowsLiteralsBareAndMarksExpressions() {
    assertEquals(Optional.empty(), ColumnDefaultParser.mySql(null, "", "varchar"));
    assertEquals(
        Optional.of(ColumnDefault.literal("it's")), ColumnDefaultParser.mySql("it's", "", "char"));
    assertEquals(
        Optional.of(ColumnDefault.literal("NULL")),
        ColumnDefaultParser.mySql("NULL", "", "varchar"));
    assertEquals(
        Optional.of(ColumnDefault.expression("CURRENT_TIMESTAMP")),
        ColumnDefaultParser.mySql(
            "CURRENT_TIMESTAMP", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP", "timestamp"));
    assertEquals(
        Optional.of(ColumnDefault.expression("CURRENT_TIMESTAMP(3)")),
        ColumnDefaultParser.mySql("CURRENT_TIMESTAMP(3)", "", "datetime"));
    assertEquals(
        Optional.of(ColumnDefault.expression("uuid()")),
        ColumnDefaultParser.mySql("uuid()", "DEFAULT_GENERATED", "char"));
    assertEquals(
        Optional.of(ColumnDefault.literal("CURRENT_TIMESTAMP")),
        ColumnDefaultParser.mySql("CURRENT_TIMESTAMP", "", "varchar"));
    assertEquals(
        Optional.of(ColumnDefault.bits("1")), ColumnDefaultParser.mySql("b'1'", "", "bit"));
  }
}
