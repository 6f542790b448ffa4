package dev.ferry.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.CanonicalRules;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.digest.RowDigest;
import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

class SortedMergeTest {
  private static final RowCanonicalizer CANON = RowCanonicalizer.of(new Layout(List.of(
      new Column("k", Types.VARCHAR, "text", 0, 0, false),
      new Column("v", Types.VARCHAR, "text", 0, 0, true))), Dialect.POSTGRESQL, List.of("k"),
      CanonicalRules.exact(), Set.of());

  /** Rows (key, value) in the order given. */
  private static final class ListRows implements SortedMerge.Rows<RowDigest> {
    private final String[][] rows;
    private int at = -1;

    ListRows(String[]... rows) {
      this.rows = rows;
    }

    @Override
    public boolean next() {
      return ++at < rows.length;
    }

    @Override
    public Object[] rangeKey() {
      return new Object[] {rows[at][0]};
    }

    @Override
    public String key() {
      return digest().getKey();
    }

    @Override
    public RowDigest row() {
      return digest().getValue();
    }

    private KV<String, RowDigest> digest() {
      return CANON.digest(new Object[] {rows[at][0], rows[at][1]}, 0, Bucketing.byKeyHash(1));
    }
  }

  /** What the merge reported, as "kind key rows" lines in the order reported. */
  private static List<String> merge(ListRows source, ListRows target) throws Exception {
    List<String> seen = new ArrayList<>();
    SortedMerge.merge(source, target, "range 0", new SortedMerge.Joined<RowDigest>() {
      @Override
      public void both(String key, List<RowDigest> s, List<RowDigest> t) {
        boolean same = s.size() == 1 && t.size() == 1 && s.get(0).sameHash(t.get(0));
        seen.add((same ? "equal " : "both ") + CANON.decodeKey(key)[0] + " " + s.size() + "/"
            + t.size());
      }

      @Override
      public void sourceOnly(String key, RowDigest row) {
        seen.add("source " + CANON.decodeKey(key)[0]);
      }

      @Override
      public void targetOnly(String key, RowDigest row) {
        seen.add("target " + CANON.decodeKey(key)[0]);
      }
    });
    return seen;
  }

  @Test
  void joinsEveryKeyOnceWithItsDuplicatesAndLoneRows() throws Exception {
    // Code point order: U+E000 sorts before the emoji (a surrogate pair in UTF-16).
    String emoji = "\uD83D\uDE00";
    ListRows source = new ListRows(new String[] {"a", "1"}, new String[] {"b", "1"},
        new String[] {"c", "1"}, new String[] {"c", "2"}, new String[] {"e", "1"},
        new String[] {"\uE000", "1"}, new String[] {emoji, "1"});
    ListRows target = new ListRows(new String[] {"a", "1"}, new String[] {"b", "changed"},
        new String[] {"c", "1"}, new String[] {"d", "1"}, new String[] {"d", "1"},
        new String[] {"z", "1"}, new String[] {"\uE000", "1"}, new String[] {emoji, "1"});
    assertEquals(List.of("equal a 1/1", "both b 1/1", "both c 2/1", "target d", "target d",
        "source e", "target z", "equal \uE000 1/1", "equal " + emoji + " 1/1"),
        merge(source, target));
  }

  @Test
  void oneEmptySideLeavesEveryRowAlone() throws Exception {
    assertEquals(List.of("source a", "source b"),
        merge(new ListRows(new String[] {"a", "1"}, new String[] {"b", "1"}), new ListRows()));
    assertEquals(List.of("target a"), merge(new ListRows(), new ListRows(new String[] {"a", "1"})));
  }

  @Test
  void refusesASideOutOfKeyOrder() {
    ListRows source = new ListRows(new String[] {"a", "1"}, new String[] {"c", "1"},
        new String[] {"b", "1"});
    ListRows target = new ListRows(new String[] {"a", "1"});
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> merge(source, target));
    assertTrue(e.getMessage().contains("source rows of range 0 are not sorted"), e.getMessage());
  }

  @Test
  void binaryOrderComparesNumbersByValueAndTextByCodePoint() {
    assertTrue(BinaryKeyOrder.KEYS.compare(new Object[] {9}, new Object[] {10L}) < 0);
    assertTrue(BinaryKeyOrder.KEYS.compare(new Object[] {new java.math.BigDecimal("2.50")},
        new Object[] {new java.math.BigDecimal("2.5")}) == 0);
    assertTrue(BinaryKeyOrder.KEYS.compare(new Object[] {"\uE000"},
        new Object[] {"\uD83D\uDE00"}) < 0);
    assertTrue(BinaryKeyOrder.KEYS.compare(new Object[] {"B"}, new Object[] {"a"}) < 0);
    assertTrue(BinaryKeyOrder.KEYS.compare(new Object[] {"a"}, new Object[] {"a "}) < 0);
  }
}
