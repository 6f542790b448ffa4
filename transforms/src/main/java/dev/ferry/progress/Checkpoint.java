package dev.ferry.progress;

import dev.ferry.record.Chunk;

/** What writing one chunk earns its range: the new sequence number, last key and counts. */
public record Checkpoint(int range, long seq, String lastKey, boolean last, long read,
    long written, long dead) {

  public static Checkpoint of(Chunk chunk, long written, long dead) {
    return new Checkpoint(chunk.range(), chunk.seq(), chunk.lastKey(), chunk.last(),
        chunk.rowsRead(), written, dead);
  }
}
