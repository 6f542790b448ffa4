package dev.ferry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MySqlViewSqlTest {
  @Test
  void namesBecomePostgresNamesAndTheDatabaseQualifierGoes() {
    String mariaDb = "select `shop`.`Films`.`id` AS `id`,`l`.`Name` AS `Language`"
        + " from (`shop`.`Films` join `shop`.`languages` `l`"
        + " on(`l`.`code` = `shop`.`Films`.`lang`))";
    Map<String, String> renamed = Map.of("Films", "films", "Name", "name");
    assertEquals("select \"films\".\"id\" AS \"id\",\"l\".\"name\" AS \"language\" from"
            + " (\"films\" join \"languages\" \"l\""
            + " on(\"l\".\"code\" = \"films\".\"lang\"))",
        MySqlViewSql.translate(mariaDb, "shop",
            n -> renamed.getOrDefault(n, Naming.LOWER.apply(n))));
  }

  @Test
  void literalsKeepTheirTextWithoutIntroducersAndWithTheirEscapes() {
    assertEquals("select 'it''s `x`' AS \"a\", E'a\\\\b' AS \"b\", 'c' AS \"c\"",
        MySqlViewSql.translate("select _utf8mb4'it''s `x`' AS `a`, 'a\\\\b' AS `b`,"
            + " _latin1'c' AS `c`", "shop", n -> n));
  }

  @Test
  void aSecondStatementIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> MySqlViewSql.translate("select 1 AS `a`; drop table `t`", "shop", n -> n));
  }
}
