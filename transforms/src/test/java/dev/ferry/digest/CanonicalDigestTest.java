package dev.ferry.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

class CanonicalDigestTest {
  private static final Bucketing ONE = Bucketing.byKeyHash(1);

  private static Column col(String name, int type, String typeName) {
    return new Column(name, type, typeName, 0, 0, true);
  }

  private static RowCanonicalizer canon(CanonicalRules rules, Column... columns) {
    List<Column> all = new ArrayList<>();
    all.add(col("id", Types.BIGINT, "int8"));
    Collections.addAll(all, columns);
    return RowCanonicalizer.of(new Layout(all), Dialect.POSTGRESQL, List.of("id"), rules,
        Set.of());
  }

  private static RowCanonicalizer texts() {
    return canon(CanonicalRules.exact(), col("a", Types.VARCHAR, "text"),
        col("b", Types.VARCHAR, "text"));
  }

  private static KV<String, RowDigest> digest(RowCanonicalizer c, Object... row) {
    return c.digest(row, 0, ONE);
  }

  private static boolean same(RowCanonicalizer c, Object[] a, Object[] b) {
    return digest(c, a).getValue().sameHash(digest(c, b).getValue());
  }

  @Test
  void columnBoundariesCannotShift() {
    RowCanonicalizer c = texts();
    assertNotEquals(c.canonicalRow(new Object[] {1L, "ab", "c"}),
        c.canonicalRow(new Object[] {1L, "a", "bc"}));
    assertNotEquals(digest(c, 1L, "ab", "c").getValue().asDigest(),
        digest(c, 1L, "a", "bc").getValue().asDigest());
  }

  @Test
  void nullEmptyAndTheWordNullAreThreeValues() {
    RowCanonicalizer c = texts();
    Object[][] rows = {{1L, null, "x"}, {1L, "", "x"}, {1L, "NULL", "x"}};
    for (int i = 0; i < rows.length; i++) {
      for (int j = i + 1; j < rows.length; j++) {
        assertNotEquals(c.canonicalRow(rows[i]), c.canonicalRow(rows[j]));
        int[] differ = digest(c, rows[i]).getValue().differingColumns(
            digest(c, rows[j]).getValue(), 0);
        assertArrayEquals(new int[] {1}, differ, "only column a differs");
      }
    }
  }

  @Test
  void tableDigestIgnoresOrderAndSplits() {
    RowCanonicalizer c = texts();
    List<Digest> rows = new ArrayList<>();
    for (long i = 0; i < 200; i++) {
      rows.add(digest(c, i, "v" + i, i % 3 == 0 ? null : "w").getValue().asDigest());
    }
    Digest inOrder = rows.stream().reduce(Digest.empty(), Digest::plus);
    Collections.shuffle(rows, new Random(7));
    Digest firstHalf = rows.subList(0, 77).stream().reduce(Digest.empty(), Digest::plus);
    Digest secondHalf = rows.subList(77, 200).stream().reduce(Digest.empty(), Digest::plus);
    assertEquals(inOrder, secondHalf.plus(firstHalf));
    assertEquals(200, inOrder.count());
    Digest oneChanged = inOrder.plus(new Digest(-1, -rows.get(5).lane1(), -rows.get(5).lane2()))
        .plus(digest(c, 5L, "changed", "w").getValue().asDigest());
    assertNotEquals(inOrder, oneChanged);
  }

  @Test
  void numbersCompareByValue() {
    RowCanonicalizer c = canon(CanonicalRules.exact(), col("n", Types.NUMERIC, "numeric"));
    assertEquals(true, same(c, new Object[] {1L, new BigDecimal("2.50")},
        new Object[] {1L, new BigDecimal("2.5")}));
    assertEquals(true, same(c, new Object[] {1L, 2L}, new Object[] {1L, new BigDecimal("2.000")}));
    assertEquals(true, same(c, new Object[] {1L, new BigDecimal("0.00")},
        new Object[] {1L, BigDecimal.ZERO}));
    assertEquals(false, same(c, new Object[] {1L, new BigDecimal("2.51")},
        new Object[] {1L, new BigDecimal("2.5")}));
  }

  @Test
  void booleansMatchTinyintOneAndZero() {
    RowCanonicalizer c = canon(CanonicalRules.exact(), col("flag", Types.BOOLEAN, "bool"));
    assertEquals(true, same(c, new Object[] {1L, true}, new Object[] {1L, 1L}));
    assertEquals(true, same(c, new Object[] {1L, false}, new Object[] {1L, 0L}));
    assertEquals(false, same(c, new Object[] {1L, true}, new Object[] {1L, 0L}));
  }

  @Test
  void zoneLessTimestampsAreReadInTheSourceZone() {
    Column ts = col("ts", Types.TIMESTAMP, "timestamptz");
    LocalDateTime wall = LocalDateTime.of(2024, 7, 1, 12, 0);
    OffsetDateTime utcNoon = wall.atOffset(ZoneOffset.UTC);
    RowCanonicalizer utc = canon(CanonicalRules.exact(), ts);
    assertEquals(true, same(utc, new Object[] {1L, wall}, new Object[] {1L, utcNoon}));
    RowCanonicalizer berlin = canon(CanonicalRules.exact().withSourceZone("Europe/Berlin"), ts);
    assertEquals(false, same(berlin, new Object[] {1L, wall}, new Object[] {1L, utcNoon}));
    assertEquals(true, same(berlin, new Object[] {1L, wall},
        new Object[] {1L, utcNoon.minusHours(2)}));
  }

  @Test
  void timestampsCompareAtTheStatedPrecision() {
    Column ts = col("ts", Types.TIMESTAMP, "timestamp");
    LocalDateTime micro = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000);
    LocalDateTime milli = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_000_000);
    assertEquals(false, same(canon(CanonicalRules.exact(), ts), new Object[] {1L, micro},
        new Object[] {1L, milli}));
    assertEquals(true, same(canon(CanonicalRules.exact().withTimestampPrecision(3), ts),
        new Object[] {1L, micro}, new Object[] {1L, milli}));
    assertEquals(false, same(canon(CanonicalRules.exact().withTimestampPrecision(0), ts),
        new Object[] {1L, micro}, new Object[] {1L, micro.plusSeconds(1)}));
  }

  @Test
  void jsonComparesByParsedValue() {
    RowCanonicalizer c = canon(CanonicalRules.exact(), col("j", Types.OTHER, "jsonb"));
    assertEquals(true, same(c, new Object[] {1L, "{\"b\": [1, 2.50], \"a\": null}"},
        new Object[] {1L, "{\"a\":null,\"b\":[1,2.5]}"}));
    assertEquals(false, same(c, new Object[] {1L, "{\"a\": [1, 2]}"},
        new Object[] {1L, "{\"a\": [2, 1]}"}));
    assertEquals(false, same(c, new Object[] {1L, "{\"a\": \"1\"}"},
        new Object[] {1L, "{\"a\": 1}"}));
    assertEquals(false, same(c, new Object[] {1L, "not json"},
        new Object[] {1L, "\"not json\""}));
  }

  @Test
  void charPaddingCountsOnlyWhenAsked() {
    Column fixed = new Column("c", Types.CHAR, "bpchar", 4, 0, true);
    assertEquals(true, same(canon(CanonicalRules.exact(), fixed), new Object[] {1L, "ab  "},
        new Object[] {1L, "ab"}), "padding does not count by default");
    assertEquals(false, same(canon(CanonicalRules.exact().withCharPaddingTrimmed(false), fixed),
        new Object[] {1L, "ab  "}, new Object[] {1L, "ab"}));
    Column varying = new Column("v", Types.VARCHAR, "varchar", 4, 0, true);
    assertEquals(false, same(canon(CanonicalRules.exact(), varying), new Object[] {1L, "ab  "},
        new Object[] {1L, "ab"}), "trailing spaces of VARCHAR values always count");
  }

  @Test
  void floatsCompareByTheirExactBinaryValue() {
    Column f = col("f", Types.DOUBLE, "float8");
    RowCanonicalizer c = canon(CanonicalRules.exact(), f);
    assertEquals(false, same(c, new Object[] {1L, 0.0}, new Object[] {1L, -0.0}), "-0 is not 0");
    assertEquals(false, same(c, new Object[] {1L, 1.2345670461654663},
        new Object[] {1L, 1.23457}), "a FLOAT read as 6 digits differs");
    assertEquals(false, same(c, new Object[] {1L, Math.nextUp(1.0)}, new Object[] {1L, 1.0}));
    assertEquals(true, same(c, new Object[] {1L, 0.1f}, new Object[] {1L, (double) 0.1f}));
    for (double d : new double[] {0.0, -0.0, Double.MIN_VALUE, Double.MIN_NORMAL,
        Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE, -3.5, 1e15, 0.1, Double.NaN,
        Double.NEGATIVE_INFINITY}) {
      assertEquals(Double.doubleToRawLongBits(d),
          Double.doubleToRawLongBits(ExactFloat.parse(ExactFloat.text(d))), "round trip " + d);
    }
    assertEquals("1p-1074", ExactFloat.text(Double.MIN_VALUE));
    assertEquals("-7881299347898368p-51", ExactFloat.text(-3.5));
  }

  @Test
  void floatsWithinToleranceMatchRowByRow() {
    Column f = col("f", Types.DOUBLE, "float8");
    RowCanonicalizer exact = canon(CanonicalRules.exact(), f);
    assertEquals(false, same(exact, new Object[] {1L, 0.1 + 0.2}, new Object[] {1L, 0.3}));
    RowCanonicalizer loose = canon(CanonicalRules.exact().withFloatTolerance(1e-9), f);
    RowDigest a = digest(loose, 1L, 0.1 + 0.2).getValue();
    RowDigest b = digest(loose, 1L, 0.3).getValue();
    assertEquals(0, a.differingColumns(b, 1e-9).length);
    RowDigest far = digest(loose, 1L, 0.31).getValue();
    assertArrayEquals(new int[] {1}, a.differingColumns(far, 1e-9));
    assertEquals(true, same(loose, new Object[] {1L, -0.0}, new Object[] {1L, 0.0}));
  }

  @Test
  void keysDecodeBackToValues() {
    List<Column> columns = List.of(col("tenant", Types.VARCHAR, "text"),
        new Column("day", Types.DATE, "date", 0, 0, true),
        col("id", Types.OTHER, "uuid"), col("n", Types.BIGINT, "int8"));
    RowCanonicalizer c = RowCanonicalizer.of(new Layout(columns), Dialect.POSTGRESQL,
        List.of("tenant", "day", "id", "n"), CanonicalRules.exact(), Set.of());
    UUID id = UUID.randomUUID();
    Object[] row = {"é:1 😀", LocalDate.of(2024, 2, 29), id, null};
    String key = c.key(row);
    assertArrayEquals(row, c.decodeKey(key));
    assertEquals(key, c.keyOf(c.decodeKey(key)));
  }

  @Test
  void valueBucketsInvertToTheirKeys() {
    Bucketing b = Bucketing.byKeyValue(100);
    for (long key : new long[] {-250, -100, -99, -1, 0, 1, 99, 100, 250, Long.MAX_VALUE,
        Long.MIN_VALUE}) {
      long bucket = key / 100;
      long[] bounds = b.bounds(bucket);
      assertEquals(true, bounds[0] <= key && key <= bounds[1], key + " in " + bucket);
      assertEquals(bucket, b.bucketOf("n" + Long.toString(key).length() + ":" + key));
    }
    assertThrows(IllegalArgumentException.class, () -> Bucketing.byKeyValue(0));
  }

  @Test
  void compositeKeysBucketByTheirLeadingInteger() {
    RowCanonicalizer c = RowCanonicalizer.of(new Layout(List.of(col("emp", Types.INTEGER,
        "int4"), col("note", Types.VARCHAR, "text"))), Dialect.POSTGRESQL, List.of("emp", "note"),
        CanonicalRules.exact(), Set.of());
    Bucketing b = Bucketing.byKeyValue(10);
    assertEquals(12, b.bucketOf(c.key(new Object[] {123L, "4:5 é"})));
    assertEquals(-12, b.bucketOf(c.key(new Object[] {-123L, "77"})));
    // A NULL anywhere puts the key in the NULL-key range's single bucket, as in SQL.
    assertEquals(0, b.bucketOf(c.key(new Object[] {123L, null})));
    assertEquals(0, b.bucketOf(c.key(new Object[] {null, "x"})));
  }

  @Test
  void rulesRejectNonsense() {
    assertThrows(IllegalArgumentException.class,
        () -> CanonicalRules.exact().withFloatTolerance(-1));
    assertThrows(IllegalArgumentException.class,
        () -> CanonicalRules.exact().withTimestampPrecision(7));
    assertThrows(IllegalArgumentException.class,
        () -> CanonicalRules.exact().withSourceZone("Mars/Olympus"));
  }
}
