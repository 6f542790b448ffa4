package dev.ferry.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopValuesTest {
  @Test
  void countsFewValuesMostFrequentFirst() {
    TopValues top = new TopValues();
    for (String v : List.of("paid", "new", "paid", "sent", "paid", "new")) {
      top.add(v);
    }
    assertEquals(List.of(new ColumnProfile.ValueCount("paid", 3),
        new ColumnProfile.ValueCount("new", 2), new ColumnProfile.ValueCount("sent", 1)),
        top.toList());
  }

  /** Two partials of 15 values each, 25 together: the merge gives up like one worker would. */
  @Test
  void mergingBeyondTheLimitGivesUp() {
    TopValues a = new TopValues();
    TopValues b = new TopValues();
    for (int i = 0; i < 15; i++) {
      a.add((long) i);
      b.add((long) i + 10);
    }
    a.merge(b);
    assertNull(a.toList());
    TopValues c = new TopValues();
    c.add(1L);
    c.merge(a);
    assertNull(c.toList(), "a partial that gave up makes the merge give up");
  }

  @Test
  void longTextIsNoCategory() {
    TopValues top = new TopValues();
    top.add("short");
    top.add("x".repeat(TopValues.MAX_CHARS + 1));
    assertNull(top.toList());
  }

  @Test
  void lengthsInDoublingBins() {
    LengthHistogram h = new LengthHistogram();
    for (long length : new long[] {0, 1, 2, 3, 3, 9, 5000}) {
      h.add(length);
    }
    List<ColumnProfile.LengthBin> bins = h.doublingBins();
    assertEquals(new ColumnProfile.LengthBin(0, 0, 1), bins.get(0));
    assertEquals(new ColumnProfile.LengthBin(1, 1, 1), bins.get(1));
    assertEquals(new ColumnProfile.LengthBin(2, 3, 3), bins.get(2));
    assertEquals(new ColumnProfile.LengthBin(8, 15, 1), bins.get(4));
    assertEquals(new ColumnProfile.LengthBin(4096, 8191, 1), bins.get(bins.size() - 1));
    assertEquals(14, bins.size(), "contiguous from 0 to 4096–8191");
  }
}
