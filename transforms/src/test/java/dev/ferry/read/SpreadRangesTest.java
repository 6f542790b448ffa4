package dev.ferry.read;

import dev.ferry.plan.KeyRange;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class SpreadRangesTest {
  private static List<RangeTask> ranges(int count) {
    List<RangeTask> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(RangeTask.fresh(KeyRange.between(i, new Object[] {100L * i},
          new Object[] {100L * (i + 1)}, 100)));
    }
    return tasks;
  }

  @Test
  void emitsEveryRangeOnce() {
    List<RangeTask> tasks = ranges(7);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<RangeTask> out = p.apply(SpreadRanges.of(tasks));
    PAssert.that(out).containsInAnyOrder(tasks);
    p.run().waitUntilFinish();
  }

  @Test
  void emitsNothingForNoRanges() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PAssert.that(p.apply(SpreadRanges.of(List.of()))).empty();
    p.run().waitUntilFinish();
  }
}
