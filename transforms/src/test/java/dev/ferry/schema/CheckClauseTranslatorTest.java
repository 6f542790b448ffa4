package dev.ferry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CheckClauseTranslatorTest {
  private static String translate(String clause) {
    return CheckClauseTranslator.translate(clause, UnaryOperator.identity());
  }

  @Test
  void quotesIdentifiersThePostgresWay() {
    assertEquals(
        "\"price\" >= 0 and \"My `Col\" <> 'x'",
        translate("`price` >= 0 and `My ``Col` <> 'x'"));
  }

  @Test
  void spellsColumnsByTheNaming() {
    assertEquals(
        "\"unit_price\" >= 0 and 'UnitPrice' <> \"http_status\"",
        CheckClauseTranslator.translate(
            "`UnitPrice` >= 0 and 'UnitPrice' <> `HTTPStatus`", Naming.SNAKE::apply));
  }

  @Test
  void dropsCharsetIntroducersAndMySqlEscapes() {
    assertEquals(
        "(\"status\" in ('a','it''s','b\\c'))",
        translate("(`status` in (_utf8mb4'a',_utf8mb4'it\\'s','b\\\\c'))"));
    assertEquals("\"x_y\" = 'q'", translate("`x_y` = \"q\""));
    assertEquals("my_col = 'q'", translate("my_col = 'q'"));
  }
}
