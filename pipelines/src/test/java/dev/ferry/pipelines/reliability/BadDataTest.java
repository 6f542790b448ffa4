package dev.ferry.pipelines.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.pipelines.backfill.RunSummary;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Values that the target cannot hold as they are: each row ends in the dead-letter table with
 * the stage, the key, the column and a reason that names the table, or is converted by a
 * documented rule (see reliability.md); the rest of the table is copied. Nothing is altered on
 * the way without saying so.
 */
class BadDataTest {

  /** MariaDB → PostgreSQL: invalid UTF-8, NUL characters, latin1, numbers too precise. */
  @Test
  void mariaDbToPostgres() {
    TestDatabase src = EmbeddedDatabases.newMariaDb();
    src.execute("CREATE TABLE legacy (id int PRIMARY KEY, raw varbinary(20), note text,"
            + " latin varchar(20) CHARACTER SET latin1, r double, big bigint,"
            + " amount decimal(30,10))",
        "INSERT INTO legacy VALUES"
            // bytes that are valid UTF-8 become text (documented rule)
            + " (1, unhex('68C3A96C6C6F'), 'fine', 'café', 1.5, 1, 1.5),"
            // bytes that are not UTF-8: 0xC3 must be followed by a continuation byte
            + " (2, unhex('C328'), 'x', 'x', 1, 1, 1),"
            // a NUL character, which PostgreSQL text cannot hold
            + " (3, NULL, concat('a', char(0), 'b'), 'x', 1, 1, 1),"
            // latin1 text arrives as the same characters
            + " (4, NULL, 'x', 'Grüße', 1, 1, 1),"
            // a double that a real would round
            + " (5, NULL, 'x', 'x', 3.141592653589793, 1, 1),"
            // a bigint beyond 2^53 that a double would round
            + " (6, NULL, 'x', 'x', 1, 9007199254740993, 1),"
            // more decimal places than numeric(20,4) keeps
            + " (7, NULL, 'x', 'x', 1, 1, 1.1234567891),"
            // more integer digits than numeric(20,4) keeps
            + " (8, NULL, 'x', 'x', 1, 1, 1234567890123456789.5)");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute("CREATE TABLE legacy (id int PRIMARY KEY, raw text, note text, latin text,"
        + " r real, big double precision, amount numeric(20,4))");

    RunSummary s = Runs.run(Runs.flags("bad-maria", src, dst, "legacy"), "--maxDeadLetters=10");
    assertEquals(0, s.exitCode, s.error);
    assertEquals("[[1, héllo, fine, café, 1.5, 1, 1.5000], [4, null, x, Grüße, 1, 1, 1.0000]]",
        dst.query("SELECT id, raw, note, latin, r::text, big::text, amount::text FROM legacy"
            + " ORDER BY id").toString());
    Map<String, String[]> dead = deadLetters(dst);
    assertEquals(List.of("2", "3", "5", "6", "7", "8"), new ArrayList<>(dead.keySet()));
    expect(dead, "2", "write", "raw", "target legacy, column raw: 2 bytes are not valid UTF-8"
        + " (byte 0xC3 at offset 0)");
    expect(dead, "3", "write", "note", "target legacy, column note: text contains a NUL"
        + " character (U+0000) at position 1");
    expect(dead, "5", "write", "r", "target legacy, column r: 3.141592653589793 has more"
        + " significant digits than float4 keeps; it would be stored as 3.1415927");
    expect(dead, "6", "write", "big", "target legacy, column big: 9007199254740993 has more"
        + " significant digits than float8 keeps");
    expect(dead, "7", "write", "amount", "target legacy, column amount: 1.1234567891 has more"
        + " than 4 decimal places");
    expect(dead, "8", "write", "amount", "target legacy, column amount:"
        + " 1234567890123456789.5000000000 does not fit numeric(20,4)");
  }

  /**
   * PostgreSQL → MariaDB: dates outside MariaDB's range (year 20000, 44 BC), NaN and infinity,
   * numeric NaN and infinity, time 24:00, fractional seconds a DATETIME(0) would round, an
   * instant beyond 2038 for a TIMESTAMP column, a number too large for DECIMAL(20,2).
   */
  @Test
  void postgresToMariaDb() {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    src.execute("CREATE TABLE events (id int PRIMARY KEY, d date, ts timestamp,"
            + " tz timestamptz, f double precision, n numeric, t time)",
        "INSERT INTO events (id, d, ts, tz, f, n, t) VALUES"
            + " (1, '2024-02-29', '2024-01-01 10:00:00', '2024-01-01 10:00:00+00', 1.5, 2.5,"
            + " '10:00:00'),"
            + " (2, '20000-01-01', NULL, NULL, NULL, NULL, NULL),"
            + " (3, '0044-03-15 BC', NULL, NULL, NULL, NULL, NULL),"
            + " (4, NULL, NULL, NULL, 'NaN', NULL, NULL),"
            + " (5, NULL, NULL, NULL, '-Infinity', NULL, NULL),"
            + " (6, NULL, NULL, NULL, NULL, 'NaN', NULL),"
            + " (7, NULL, '2024-01-01 10:00:00.5', NULL, NULL, NULL, NULL),"
            + " (8, NULL, NULL, '2050-01-01 00:00:00+00', NULL, NULL, NULL),"
            + " (9, NULL, NULL, NULL, NULL, NULL, '24:00:00'),"
            + " (10, NULL, NULL, NULL, NULL, 1e40, NULL),"
            + " (11, 'infinity', NULL, NULL, NULL, NULL, NULL),"
            + " (12, NULL, NULL, NULL, NULL, 'Infinity', NULL)");
    TestDatabase dst = EmbeddedDatabases.newMariaDb();
    dst.execute("CREATE TABLE events (id int PRIMARY KEY, d date, ts datetime,"
        + " tz timestamp NULL, f double, n decimal(20,2), t time)");

    RunSummary s = Runs.run(Runs.flags("bad-pg", src, dst, "events"), "--maxDeadLetters=20");
    assertEquals(0, s.exitCode, s.error);
    assertEquals(1L, dst.count("events"));
    assertEquals("2024-02-29|2024-01-01 10:00:00|1.5|2.50|10:00:00",
        dst.scalar("SELECT concat_ws('|', d, ts, f, n, t) FROM events"));
    Map<String, String[]> dead = deadLetters(dst);
    assertEquals(List.of("10", "11", "12", "2", "3", "4", "5", "6", "7", "8", "9"),
        new ArrayList<>(dead.keySet()));
    expect(dead, "2", "write", "d", "target events, column d: 20000-01-01 is outside the range"
        + " a MySQL/MariaDB date column holds (0001-01-01 to 9999-12-31)");
    expect(dead, "3", "write", "d", "target events, column d: 0044-03-15 BC is outside the"
        + " range");
    expect(dead, "4", "write", "f", "target events, column f: NaN cannot be stored");
    expect(dead, "5", "write", "f", "target events, column f: -Infinity cannot be stored");
    expect(dead, "6", "read", "n", "table events, column n: numeric value 'NaN' is not a"
        + " finite number");
    expect(dead, "7", "write", "ts", "target events, column ts: 2024-01-01T10:00:00.500 has"
        + " more fractional-second digits than the column keeps (0)");
    expect(dead, "8", "write", "tz", "target events, column tz: 2050-01-01T00:00Z is outside"
        + " the range a MySQL/MariaDB TIMESTAMP holds");
    expect(dead, "9", "read", "t", "table events, column t: time '24:00:00' (end of day)");
    expect(dead, "10", "write", "n", "target events, column n: "
        + "10000000000000000000000000000000000000000 does not fit numeric(20,2)");
    expect(dead, "11", "write", "d", "target events, column d: the date 'infinity' has no"
        + " equivalent in a MySQL/MariaDB date column");
    expect(dead, "12", "read", "n", "table events, column n: numeric value 'Infinity' is not a"
        + " finite number");
  }

  /**
   * PostgreSQL → PostgreSQL: years before 1 AD and after 9999, and infinite dates, are valid on
   * both sides and must arrive unchanged through the COPY fast path, which writes them in
   * PostgreSQL's own form ("0044-03-15 BC", "20000-01-01", "infinity") rather than Java's ISO
   * form ("-0043-03-15", "+20000-01-01", "+999999999-12-31").
   */
  @Test
  void postgresDatesBeforeChristAndAfter9999RoundTrip() {
    TestDatabase src = EmbeddedDatabases.newPostgres();
    String ddl = "CREATE TABLE era (id int PRIMARY KEY, d date, ts timestamp, tz timestamptz)";
    src.execute(ddl,
        "INSERT INTO era SELECT g, date '2024-01-01' + g, timestamp '2024-01-01' + g * interval"
            + " '1 hour 1.5 second', timestamptz '2024-01-01 00:00Z' + g * interval '1 minute'"
            + " FROM generate_series(1, 300) g",
        "UPDATE era SET d = '0044-03-15 BC', ts = '0044-03-15 12:30:00.25 BC',"
            + " tz = '0044-03-15 12:30:00+00 BC' WHERE id = 10",
        "UPDATE era SET d = '20000-01-01', ts = '20000-01-01 00:00:01',"
            + " tz = '20000-06-01 00:00:00+00' WHERE id = 20",
        "UPDATE era SET d = '4713-01-01 BC', ts = '4713-01-01 00:00:00 BC' WHERE id = 30",
        "UPDATE era SET d = '0001-12-31 BC', ts = '0001-12-31 23:59:59.999999 BC',"
            + " tz = '0001-01-01 00:00:00+00' WHERE id = 40",
        "UPDATE era SET d = 'infinity' WHERE id = 50",
        "UPDATE era SET d = '-infinity' WHERE id = 60");
    TestDatabase dst = EmbeddedDatabases.newPostgres();
    dst.execute(ddl);
    RunSummary s = Runs.run(Runs.flags("era", src, dst, "era"));
    assertEquals(0, s.exitCode, s.error);
    assertEquals(0, s.rowsDeadLettered);
    String all = "SELECT id, d::text, ts::text, tz::text FROM era ORDER BY id";
    assertEquals(src.query(all), dst.query(all));
  }

  private static Map<String, String[]> deadLetters(TestDatabase db) {
    Map<String, String[]> dead = new TreeMap<>();
    for (List<Object> r : db.query("SELECT row_key, stage, column_name, error"
        + " FROM ferry_dead_letter")) {
      String key = ((String) r.get(0)).replaceAll("\\D", "");
      dead.put(key, new String[] {(String) r.get(1), (String) r.get(2), (String) r.get(3)});
    }
    return dead;
  }

  private static void expect(Map<String, String[]> dead, String id, String stage, String column,
      String reason) {
    String[] d = dead.get(id);
    assertTrue(d != null, "no dead letter for id " + id);
    assertEquals(stage, d[0], "stage of " + id + ": " + d[2]);
    assertEquals(column, d[1], "column of " + id + ": " + d[2]);
    assertTrue(d[2].contains(reason), "reason of " + id + ": " + d[2]);
  }
}
