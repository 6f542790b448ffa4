package dev.ferry.progress;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Moves each range's checkpoint in chunk order although chunks may commit out of order, for
 * every writer (JDBC and MongoDB). Runners that do not fuse reading with writing (the
 * DirectRunner hands each call's output to the next step as a separate bundle) may write a
 * range's chunks on different threads. A chunk whose checkpoint cannot advance yet (its
 * predecessor is not committed) is parked here, JVM-wide, after its own commit; whichever
 * writer commits the missing chunk then advances the checkpoint over it. The rows are
 * committed before the checkpoint claims them, so the checkpoint never claims an uncommitted
 * row. If the JVM dies first, the resumed run reads those chunks again (idempotent upserts).
 */
public final class CheckpointSequencer {
  /** Where a writer keeps its checkpoints. */
  public interface Store<E extends Exception> {
    /** Moves the checkpoint from {@code c.seq() - 1} to {@code c.seq()}, durably; false if not there. */
    boolean advance(Checkpoint c) throws E;

    /** The range's stored sequence number; {@link Long#MAX_VALUE} when it has none. */
    long currentSeq(int range) throws E;
  }

  private static final Map<String, TreeMap<Long, Checkpoint>> WAITING = new HashMap<>();

  private final String run;

  /** The run id keeps a failed run's leftovers from ever touching a later run in this JVM. */
  public CheckpointSequencer(String job, String fingerprint, String runId) {
    this.run = job + '\0' + fingerprint + '\0' + runId + '\0';
  }

  /** Keeps a committed chunk's checkpoint that could not advance yet. */
  public void park(Checkpoint c) {
    synchronized (WAITING) {
      WAITING.computeIfAbsent(run + c.range(), k -> new TreeMap<>()).put(c.seq(), c);
    }
  }

  /**
   * Advances the range's checkpoint over parked chunks, one {@code store.advance} each, for as
   * long as the next one is due; returns how many of them ended their range. Two writers may
   * try the same chunk: the store's condition lets only one of them advance it.
   */
  public <E extends Exception> int applyWaiting(int range, Store<E> store) throws E {
    String key = run + range;
    int completed = 0;
    while (true) {
      Checkpoint next;
      synchronized (WAITING) {
        TreeMap<Long, Checkpoint> waiting = WAITING.get(key);
        if (waiting == null || waiting.isEmpty()) {
          WAITING.remove(key);
          return completed;
        }
        next = waiting.firstEntry().getValue();
      }
      boolean advanced = store.advance(next);
      if (!advanced && store.currentSeq(range) < next.seq()) {
        return completed;
      }
      synchronized (WAITING) {
        TreeMap<Long, Checkpoint> waiting = WAITING.get(key);
        if (waiting != null) {
          waiting.remove(next.seq());
        }
      }
      if (advanced && next.last()) {
        completed++;
      }
    }
  }
}
