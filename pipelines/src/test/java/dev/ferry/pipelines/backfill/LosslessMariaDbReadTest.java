package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values that reached PostgreSQL changed without a word (issue 16, findings 1 and 2): each
 * expected value is what MariaDB itself computes from the stored one, and PostgreSQL must hold
 * exactly that.
 */
class LosslessMariaDbReadTest {
  @TempDir Path tmp;

  /** Bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D arrived as U+FFFD (Java's Cp1252 decoding). */
  @Test
  void latin1IsDecodedAsTheServerDecodesIt() {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE t (id int PRIMARY KEY, v varchar(300) CHARACTER SET latin1)",
        "INSERT INTO t VALUES (1, X'818D8F909D'), (2, X'" + allBytesButNul() + "')");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");

    RunSummary s = Backfills.run(Backfills.flags("latin1", src, dst, "t"));
    assertEquals(0, s.exitCode, s.error);
    assertEquals(src.query("SELECT id, HEX(CONVERT(v USING utf8mb4)) FROM t ORDER BY id"),
        dst.query("SELECT id, upper(encode(convert_to(v, 'UTF8'), 'hex')) FROM t ORDER BY id"));
    assertEquals("\u0081\u008d\u008f\u0090\u009d", dst.scalar("SELECT v FROM t WHERE id = 1"));
  }

  /** UTF-8 stored in a latin1 column came back as 'Å�Ã³dÅº Ð�Ð½Ð½Ð° Ð�Ð»ÐºÐ°'. */
  @Test
  void repairEncodingRestoresUtf8StoredInLatin1() throws Exception {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE moj (id int PRIMARY KEY, v varchar(60) CHARACTER SET latin1)",
        "INSERT INTO moj VALUES"
            + " (3, CONVERT(CONVERT('Łódź Анна Ёлка' USING utf8mb4) USING binary)),"
            + " (4, CONVERT(CONVERT('ÁÍÏÐÝ' USING utf8mb4) USING binary)),"
            // latin1 text that is no UTF-8 once reversed stays as it is
            + " (5, 'Grüße €5')");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE moj (id int PRIMARY KEY, v varchar(60))");
    Path mapping = Files.writeString(tmp.resolve("m.yaml"),
        "columns:\n  - {name: v, repairEncoding: true}\n");

    RunSummary s = Backfills.run(Backfills.flags("repair", src, dst, "moj"),
        "--mappingFile=" + mapping);
    assertEquals(0, s.exitCode, s.error);
    assertEquals(List.of(List.of(3, "Łódź Анна Ёлка"), List.of(4, "ÁÍÏÐÝ"),
        List.of(5, "Grüße €5")), dst.query("SELECT id, v FROM moj ORDER BY id"));
  }

  /** FLOAT arrived as the text protocol's six digits: 1.234567 as 1.23457. */
  @Test
  void floatKeepsEveryBit() {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE f (id int PRIMARY KEY, v float, u float unsigned)",
        "INSERT INTO f VALUES (1, 1.234567, 1.234567), (2, 0.3333333432674408, 0),"
            + " (3, 158.35792541503906, 158.35792541503906), (4, -0e0, 3.4028234e38),"
            + " (5, 1.4e-45, 1.17549435e-38)");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE f (id int PRIMARY KEY, v real, u real)");

    RunSummary s = Backfills.run(Backfills.flags("float", src, dst, "f"));
    assertEquals(0, s.exitCode, s.error);
    // Both servers print a double as the shortest digits that read back as it.
    assertEquals(List.of(
            List.of("1", "1.2345670461654663", "1.2345670461654663"),
            List.of("2", "0.3333333432674408", "0"),
            List.of("3", "158.35792541503906", "158.35792541503906"),
            List.of("4", "-0", "3.4028234663852886e38"),
            List.of("5", "1.401298464324817e-45", "1.1754943508222875e-38")),
        src.query("SELECT CAST(id AS CHAR), CAST(CAST(v AS DOUBLE) AS CHAR),"
            + " CAST(CAST(u AS DOUBLE) AS CHAR) FROM f ORDER BY id"));
    assertEquals(List.of(
            List.of("1", "1.2345670461654663", "1.2345670461654663"),
            List.of("2", "0.3333333432674408", "0"),
            List.of("3", "158.35792541503906", "158.35792541503906"),
            List.of("4", "-0", "3.4028234663852886e+38"),
            List.of("5", "1.401298464324817e-45", "1.1754943508222875e-38")),
        dst.query("SELECT id::text, v::float8::text, u::float8::text FROM f ORDER BY id"));
  }

  private static String allBytesButNul() {
    StringBuilder hex = new StringBuilder();
    for (int b = 1; b < 256; b++) {
      hex.append(String.format("%02X", b));
    }
    return hex.toString();
  }
}
