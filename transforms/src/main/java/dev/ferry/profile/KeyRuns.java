package dev.ferry.profile;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The key runs of one chunk: a reader streams each range in key order, so rows with equal keys
 * are neighbours, and a chunk can count its duplicates by comparing each key with the previous
 * one. Only the runs at its edges may continue into the chunks before and after it; they are kept
 * here with their keys so that the chunks of a range can be stitched together in sequence order
 * ({@link #stitch}) without ever grouping the rows themselves.
 */
final class KeyRuns implements Serializable {
  private static final long serialVersionUID = 1L;

  final long seq;
  final Object[] firstKey;
  final long firstRun;
  final Object[] lastKey;
  final long lastRun;
  /** Every key of the chunk is equal: the first and last run are the same run. */
  final boolean singleRun;
  /** Duplicates that start and end inside the chunk. */
  final FindingTally inner;

  KeyRuns(long seq, Object[] firstKey, long firstRun, Object[] lastKey, long lastRun,
      boolean singleRun, FindingTally inner) {
    this.seq = seq;
    this.firstKey = firstKey;
    this.firstRun = firstRun;
    this.lastKey = lastKey;
    this.lastRun = lastRun;
    this.singleRun = singleRun;
    this.inner = inner;
  }

  /** Renders a key for examples, e.g. {@code {"id":42}}. */
  @FunctionalInterface
  interface KeyText {
    String of(Object[] key);
  }

  /** Collects the runs of one chunk's keys, given in order; rows with a NULL key are skipped. */
  static final class Builder {
    private final int maxExamples;
    private final KeyText keyText;
    private FindingTally inner;
    private Object[] firstKey;
    private long firstRun;
    private boolean firstClosed;
    private Object[] current;
    private long currentRun;

    Builder(int maxExamples, KeyText keyText) {
      this.maxExamples = maxExamples;
      this.keyText = keyText;
      this.inner = new FindingTally(maxExamples);
    }

    void add(Object[] key) {
      if (current != null && Arrays.deepEquals(current, key)) {
        currentRun++;
        return;
      }
      if (current == null) {
        firstKey = key;
      } else if (!firstClosed) {
        firstRun = currentRun;
        firstClosed = true;
      } else if (currentRun > 1) {
        inner.add(keyText.of(current), currentRun + " rows", currentRun);
      }
      current = key;
      currentRun = 1;
    }

    /** The chunk's runs, or null when it had no keyed rows. */
    KeyRuns build(long seq) {
      if (current == null) {
        return null;
      }
      KeyRuns runs = firstClosed
          ? new KeyRuns(seq, firstKey, firstRun, current, currentRun, false, inner)
          : new KeyRuns(seq, firstKey, currentRun, current, currentRun, true, inner);
      inner = new FindingTally(maxExamples);
      return runs;
    }
  }

  /**
   * Joins the runs of all chunks of one range, sorted here by sequence number, into its duplicate
   * keys: a run that crosses chunk edges is counted once, with all its rows.
   */
  static FindingTally stitch(List<KeyRuns> chunks, int maxExamples, KeyText keyText) {
    chunks.sort((a, b) -> Long.compare(a.seq, b.seq));
    FindingTally duplicates = new FindingTally(maxExamples);
    Object[] openKey = null;
    long openRun = 0;
    for (KeyRuns c : chunks) {
      if (openKey != null && Arrays.deepEquals(openKey, c.firstKey)) {
        openRun += c.firstRun;
      } else {
        close(duplicates, openKey, openRun, keyText);
        openKey = c.firstKey;
        openRun = c.firstRun;
      }
      duplicates.merge(c.inner);
      if (!c.singleRun) {
        close(duplicates, openKey, openRun, keyText);
        openKey = c.lastKey;
        openRun = c.lastRun;
      }
    }
    close(duplicates, openKey, openRun, keyText);
    return duplicates;
  }

  private static void close(FindingTally duplicates, Object[] key, long run, KeyText keyText) {
    if (key != null && run > 1) {
      duplicates.add(keyText.of(key), run + " rows", run);
    }
  }
}
