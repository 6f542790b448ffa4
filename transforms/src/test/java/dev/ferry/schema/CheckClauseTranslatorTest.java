package dev.ferry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CheckClauseTranslatorTest {
  @Test
  void quotesIdentifiersThePostgresWay() {
    assertEquals(
        "\"price\" >= 0 and \"My `Col\" <> 'x'",
        CheckClauseTranslator.translate("`price` >= 0 and `My ``Col` <> 'x'"));
  }

  @Test
  void dropsCharsetIntroducersAndMySqlEscapes() {
    assertEquals(
        "(\"status\" in ('a','it''s','b\\c'))",
        CheckClauseTranslator.translate("(`status` in (_utf8mb4'a',_utf8mb4'it\\'s','b\\\\c'))"));
    assertEquals("\"x_y\" = 'q'", CheckClauseTranslator.translate("`x_y` = \"q\""));
    assertEquals("my_col = 'q'", CheckClauseTranslator.translate("my_col = 'q'"));
  }
}
