package dev.ferry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void passwordsInUrlsAreMasked() {
    assertEquals("jdbc:postgresql://db:5432/shop?user=u&password=***&ssl=true",
        Redaction.url("jdbc:postgresql://db:5432/shop?user=u&password=s3cret&ssl=true"));
    assertEquals("jdbc:mysql://u:***@db:3306/shop", Redaction.url("jdbc:mysql://u:pw@db:3306/shop"));
    assertEquals("jdbc:mysql://db/shop;PWD=***", Redaction.url("jdbc:mysql://db/shop;PWD=x"));
    assertEquals("jdbc:postgresql://db/shop", Redaction.url("jdbc:postgresql://db/shop"));
    assertNull(Redaction.url(null));
  }

  @Test
  void longSecretsAreMaskedWhereverTheyOccur() {
    assertEquals("auth failed for *** and x***y",
        Redaction.text("auth failed for Tr0ub4dor&3 and xTr0ub4dor&3y", List.of("Tr0ub4dor&3")));
  }

  @Test
  void shortSecretsAreMaskedOnlyWhereTheyStandAlone() {
    // A one-letter password must not garble the words around it.
    assertEquals("database user_shop does not exist, password *** rejected",
        Redaction.text("database user_shop does not exist, password x rejected",
            List.of("x")));
    assertEquals("in user_shop: ***=***", Redaction.text("in user_shop: s=s", List.of("s")));
    assertEquals("login ***@db failed", Redaction.text("login pw1@db failed", List.of("pw1")));
    assertEquals("no secret here", Redaction.text("no secret here", List.of("", "zz")));
    assertNull(Redaction.text(null, List.of("x")));
  }
}
