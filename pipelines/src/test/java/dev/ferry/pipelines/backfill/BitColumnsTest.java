package dev.ferry.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BIT(1), BIT(5), BIT(8) and BIT(64) columns with their edge values (all zeros, all ones, only the
 * highest bit, only the lowest, alternating) copied between MariaDB and PostgreSQL in each
 * direction and within MariaDB, into the types type-mapping.md documents ({@code bit(n)} stays
 * {@code bit(n)}; {@code bit(1)} also into {@code boolean}). Each value's digits are computed by
 * SQL on each server ({@code LPAD(BIN(v), n, '0')} on MariaDB, {@code v::text} on PostgreSQL), so
 * no ferry code is on the comparison path: every row arrives, exact, none dead-lettered.
 */
class BitColumnsTest {
  /** id, then the digits of bit(1), bit(5), bit(8) and bit(64). */
  private static final List<String[]> VALUES = List.of(
      new String[] {"1", "0", "00000", "00000000", "0".repeat(64)},
      new String[] {"2", "1", "11111", "11111111", "1".repeat(64)},
      new String[] {"3", "1", "10000", "10000000", "1" + "0".repeat(63)},
      new String[] {"4", "0", "00001", "00000001", "0".repeat(63) + "1"},
      new String[] {"5", "1", "10101", "10101010", "01".repeat(32)},
      new String[] {"6", "0", "01010", "01010101", "10".repeat(32)});

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mariadb to postgresql", "postgresql to mariadb", "mariadb to mariadb"})
  void bitValuesArriveExact(String direction) {
    boolean fromMaria = direction.startsWith("mariadb");
    boolean toMaria = direction.endsWith("mariadb");
    TestDatabase src = fromMaria ? EmbeddedDatabases.newMariaDb()
        : EmbeddedDatabases.newPostgres();
    TestDatabase dst = toMaria ? EmbeddedDatabases.newMariaDb() : EmbeddedDatabases.newPostgres();
    src.execute(ddl(fromMaria, "b", "bit(1)"), insert(fromMaria));
    dst.execute(ddl(toMaria, "b", "bit(1)"), ddl(toMaria, "b_flag", "boolean"));
    // MariaDB's BOOLEAN is TINYINT(1): 1 and 0 compare as the digits.

    RunSummary s = Backfills.run(Backfills.flags("bits", src, dst, "b"));
    assertEquals(0, s.exitCode, s.error);
    assertEquals(0, s.jobRowsDeadLettered);
    List<List<Object>> expected = db(src, fromMaria, "b", false);
    assertEquals(expected, db(dst, toMaria, "b", false));

    s = Backfills.run(Backfills.flags("bits-flag", src, dst, "b"), "--targetTable=b_flag");
    assertEquals(0, s.exitCode, s.error);
    assertEquals(0, s.jobRowsDeadLettered);
    assertEquals(expected, db(dst, toMaria, "b_flag", true));
  }

  private static String ddl(boolean maria, String table, String oneBit) {
    return "CREATE TABLE " + table + " (id int PRIMARY KEY, b1 " + oneBit + ", b5 bit(5),"
        + " b8 bit(8), b64 bit(64))";
  }

  private static String insert(boolean maria) {
    StringBuilder sb = new StringBuilder("INSERT INTO b (id, b1, b5, b8, b64) VALUES ");
    for (String[] v : VALUES) {
      sb.append(v == VALUES.get(0) ? "" : ", ").append("(").append(v[0]);
      for (int i = 1; i < v.length; i++) {
        sb.append(", ").append(maria ? "b'" : "B'").append(v[i]).append("'");
      }
      sb.append(")");
    }
    return sb + ", (7, NULL, NULL, NULL, NULL)";
  }

  /** Each row's digits as the server computes them; a boolean b1 as 1 or 0. */
  private static List<List<Object>> db(TestDatabase db, boolean maria, String table,
      boolean flag) {
    String b1 = flag ? "CASE WHEN b1 THEN '1' WHEN NOT b1 THEN '0' END"
        : maria ? "LPAD(BIN(b1), 1, '0')" : "b1::text";
    String select = maria
        ? "SELECT CAST(id AS CHAR), " + b1 + ", LPAD(BIN(b5), 5, '0'), LPAD(BIN(b8), 8, '0'),"
            + " LPAD(BIN(b64), 64, '0')"
        : "SELECT id::text, " + b1 + ", b5::text, b8::text, b64::text";
    return db.query(select + " FROM " + table + " ORDER BY id");
  }
}
