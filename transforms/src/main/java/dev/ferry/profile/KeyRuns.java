package dev.ferry.profile;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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

  /**
   * Collects the runs of one chunk's keys from its rows, given in key order; rows with a NULL key
   * are not added. Keys are compared in place in the rows and copied out only where a run is
   * kept: the chunk's first and last run and the duplicates inside it.
   */
  static final class Builder {
    private final int maxExamples;
    private final int[] keyIndexes;
    private final KeyText keyText;
    private FindingTally inner;
    private Object[] firstKey;
    private long firstRun;
    private boolean firstClosed;
    private Object[] currentRow;
    private long currentRun;

    Builder(int maxExamples, int[] keyIndexes, KeyText keyText) {
      this.maxExamples = maxExamples;
      this.keyIndexes = keyIndexes;
      this.keyText = keyText;
      this.inner = new FindingTally(maxExamples);
    }

    void add(Object[] row) {
      if (currentRow != null && sameKey(currentRow, row)) {
        currentRun++;
        return;
      }
      if (currentRow == null) {
        firstKey = key(row);
      } else if (!firstClosed) {
        firstRun = currentRun;
        firstClosed = true;
      } else if (currentRun > 1) {
        inner.add(keyText.of(key(currentRow)), currentRun + " rows", currentRun);
      }
      currentRow = row;
      currentRun = 1;
    }

    private boolean sameKey(Object[] a, Object[] b) {
      for (int k : keyIndexes) {
        if (!Objects.deepEquals(a[k], b[k])) {
          return false;
        }
      }
      return true;
    }

    private Object[] key(Object[] row) {
      Object[] key = new Object[keyIndexes.length];
      for (int i = 0; i < key.length; i++) {
        key[i] = row[keyIndexes[i]];
      }
      return key;
    }

    /** The chunk's runs, or null when it had no keyed rows. */
    KeyRuns build(long seq) {
      if (currentRow == null) {
        return null;
      }
      KeyRuns runs = firstClosed
          ? new KeyRuns(seq, firstKey, firstRun, key(currentRow), currentRun, false, inner)
          : new KeyRuns(seq, firstKey, currentRun, firstKey, currentRun, true, inner);
      inner = new FindingTally(maxExamples);
      currentRow = null;
      firstKey = null;
      firstClosed = false;
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
