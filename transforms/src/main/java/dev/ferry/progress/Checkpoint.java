package dev.ferry.progress;

import dev.ferry.record.Chunk;

/** What writing one chunk earns its range: the new sequence number, last key and counts. */
public final class Checkpoint {
  public final int range;
  public final long seq;
  public final String lastKey;
  public final boolean last;
  public final long read;
  public final long written;
  public final long dead;

  public Checkpoint(Chunk chunk, long written, long dead) {
    this.range = chunk.range();
    this.seq = chunk.seq();
    this.lastKey = chunk.lastKey();
    this.last = chunk.last();
    this.read = chunk.rowsRead();
    this.written = written;
    this.dead = dead;
  }
}
