package dev.ferry.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.ConversionException;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Text goes through the writer's checks and its COPY encoder in slices of a few thousand chars;
 * these values put escapes, multi-byte characters and surrogate pairs on the slice edges.
 */
class TextEncodingTest {
  private static final int SLICE = 8192;

  /** Values whose tricky characters sit at, just before and just after slice boundaries. */
  private static List<String> trickyValues() {
    List<String> values = new ArrayList<>();
    String pair = "\uD83D\uDE00"; // one emoji, two chars
    for (int offset = -2; offset <= 1; offset++) {
      values.add("a".repeat(SLICE + offset) + pair + "z");
      values.add("é".repeat(SLICE + offset) + "\\\t\n\r€" + pair);
      values.add(pair.repeat((SLICE + offset) / 2) + "a\\b");
    }
    values.add("plain ascii");
    values.add("");
    values.add("tab\there, newline\nthere, backslash\\N and a literal \\N");
    values.add("Köln, Zürich, 東京, \uD83D\uDE80");
    values.add("x".repeat(3 * SLICE + 17));
    // Either side of the length up to which text is encoded whole and escaped bytewise.
    values.add("é".repeat(4092) + "\t\uD83D\uDE00\\");
    values.add("\r" + "ü".repeat(4095) + "\n");
    values.add("\\" + "a".repeat(4096));
    return values;
  }

  @Test
  void copyWritesEveryCharacterBackExactly() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE t (id bigint PRIMARY KEY, body text, n bigint)");
    TargetTable table = CopyTargets.keyedById(db, "t");
    List<String> values = trickyValues();
    List<Object[]> rows = new ArrayList<>();
    long[] numbers = {0, -1, 7, Long.MAX_VALUE, Long.MIN_VALUE, -1234567890123L};
    for (int i = 0; i < values.size(); i++) {
      rows.add(new Object[] {(long) i, values.get(i), numbers[i % numbers.length]});
    }
    rows.add(new Object[] {-5L, null, null});
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      PostgresCopyUpsert.open(c, table).insert(rows);
      c.commit();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, body, n FROM t ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals(-5L, rs.getLong(1));
        assertEquals(null, rs.getString(2));
        assertEquals(null, rs.getObject(3));
        for (int i = 0; i < values.size(); i++) {
          assertTrue(rs.next());
          assertEquals(i, rs.getLong(1));
          assertEquals(values.get(i), rs.getString(2), "value " + i);
          assertEquals(numbers[i % numbers.length], rs.getLong(3), "number " + i);
        }
      }
    }
  }

  @Test
  void theTextCheckAcceptsPairsAcrossSlicesAndNamesBrokenOnes() throws Exception {
    ValueBinder binder = ValueBinder.forColumn(
        new Column("body", Types.VARCHAR, "text", Integer.MAX_VALUE, 0, true),
        Dialect.POSTGRESQL);
    for (String v : trickyValues()) {
      assertEquals(v, binder.convert(v));
    }
    String loneHigh = "a".repeat(SLICE - 1) + "\uD83D" + "b";
    ConversionException high = assertThrows(ConversionException.class,
        () -> binder.convert(loneHigh));
    assertTrue(high.getMessage().contains("broken surrogate pair at position " + (SLICE - 1)),
        high.getMessage());
    String loneLow = "a".repeat(SLICE) + "\uDE00";
    ConversionException low = assertThrows(ConversionException.class,
        () -> binder.convert(loneLow));
    assertTrue(low.getMessage().contains("at position " + SLICE), low.getMessage());
    String nul = "b".repeat(SLICE + 3) + "\u0000";
    ConversionException zero = assertThrows(ConversionException.class,
        () -> binder.convert(nul));
    assertTrue(zero.getMessage().contains("NUL character (U+0000) at position " + (SLICE + 3)),
        zero.getMessage());
  }
}
