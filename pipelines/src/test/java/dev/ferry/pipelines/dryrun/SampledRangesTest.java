package dev.ferry.pipelines.dryrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.plan.KeyRange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampledRangesTest {
  /** {@code n} contiguous ranges of {@code rows} keys each, as the planner makes them. */
  private static List<KeyRange> planned(int n, long rows) {
    List<KeyRange> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(KeyRange.between(i, i == 0 ? null : new Object[] {i * rows},
          i == n - 1 ? null : new Object[] {(i + 1) * rows}, rows));
    }
    return out;
  }

  @Test
  void aSmallTableIsSampledInRangesOfAboutOneChunk() {
    // 50,000 rows, 16 partitions, 1% (every 100): 1,600 planned ranges of ~31 rows each. A
    // sampled range of 31 rows is one tiny chunk; it takes 33 planned ranges to hold 1,000.
    List<KeyRange> planned = planned(1600, 31);
    int width = SampledRanges.width(planned, 100, 16, 1000);
    assertEquals(33, width);
    SampledRanges s = SampledRanges.choose(planned, 100, width);
    assertEquals(16, s.sampled.size());
    assertEquals(33 * 31, s.sampled.get(0).estimatedRows());
    assertEquals(new Object[] {50L * 31}[0], s.sampled.get(0).lower()[0]);
    assertEquals(83L * 31, s.sampled.get(0).upper()[0]);
    // Warm-ups hold a quarter as many and never overlap a sampled range.
    assertEquals(8 * 31, s.warmup.get(0).estimatedRows());
    assertEquals(42L * 31, s.warmup.get(0).lower()[0]);
    assertEquals(50L * 31, s.warmup.get(0).upper()[0]);
  }

  @Test
  void aLargeTableKeepsThePlannedRanges() {
    // 16,000,000 rows: 1,600 ranges of 10,000 rows already hold ten chunks each.
    List<KeyRange> planned = planned(1600, 10_000);
    assertEquals(1, SampledRanges.width(planned, 100, 16, 1000));
    SampledRanges s = SampledRanges.choose(planned, 100, 1);
    assertEquals(16, s.sampled.size());
    assertTrue(s.sampled.stream().allMatch(r -> r.estimatedRows() == 10_000));
    assertEquals(planned.get(50), s.sampled.get(0));
    assertEquals(planned.get(49), s.warmup.get(0));
  }
}
