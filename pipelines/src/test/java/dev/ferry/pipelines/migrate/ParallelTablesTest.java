package dev.ferry.pipelines.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Units run largest first and never take more slots together than the concurrency. */
class ParallelTablesTest {
  @Test
  void weightedUnitsNeverExceedTheSlots() throws Exception {
    AtomicInteger inUse = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Integer> started = Collections.synchronizedList(new ArrayList<>());
    // Weights 3, 1, 1, 2, 1 of 3 slots: the heavy unit runs alone; 2 + 1 may run together.
    List<int[]> units = List.of(new int[] {50, 3}, new int[] {40, 1}, new int[] {30, 1},
        new int[] {20, 2}, new int[] {10, 1});
    new ParallelTables(3).run(units, u -> u[0], u -> u[1], "test", u -> {
      started.add(u[0]);
      int now = inUse.addAndGet(u[1]);
      most.accumulateAndGet(now, Math::max);
      Thread.yield();
      inUse.addAndGet(-u[1]);
    });
    assertTrue(most.get() <= 3, "slots in use at once: " + most.get());
    assertEquals(50, started.get(0));
    assertEquals(5, started.size());
  }

  @Test
  void lightUnitsRunTogether() throws Exception {
    // Three units of weight 1 on three slots must all be running at once to pass the latch.
    CountDownLatch all = new CountDownLatch(3);
    AtomicInteger passed = new AtomicInteger();
    new ParallelTables(3).run(List.of(1, 2, 3), u -> u, u -> 1, "test", u -> {
      all.countDown();
      if (all.await(30, TimeUnit.SECONDS)) {
        passed.incrementAndGet();
      }
    });
    assertEquals(3, passed.get());
  }

  @Test
  void aHeavyUnitRunsAloneAndTheLightOnesAfterIt() throws Exception {
    // Two slots: the heavy unit (largest, so first) takes both. A light one starting beside it
    // would release its latch; after it, both light ones must run at once to pass theirs.
    CountDownLatch lightStarted = new CountDownLatch(1);
    CountDownLatch bothLight = new CountDownLatch(2);
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger together = new AtomicInteger();
    new ParallelTables(2).run(List.of(new int[] {9, 2}, new int[] {5, 1}, new int[] {4, 1}),
        u -> u[0], u -> u[1], "test", u -> {
          if (u[1] == 2) {
            if (lightStarted.await(500, TimeUnit.MILLISECONDS)) {
              overlaps.incrementAndGet();
            }
            return;
          }
          lightStarted.countDown();
          bothLight.countDown();
          if (bothLight.await(30, TimeUnit.SECONDS)) {
            together.incrementAndGet();
          }
        });
    assertEquals(0, overlaps.get());
    assertEquals(2, together.get());
  }
}
