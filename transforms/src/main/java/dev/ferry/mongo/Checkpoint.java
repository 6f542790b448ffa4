package dev.ferry.mongo;

import dev.ferry.record.Chunk;

/** What writing one chunk earns its range: the new sequence number, last key and counts. */
final class Checkpoint {
  final int range;
  final long seq;
  final String lastKey;
  final boolean last;
  final long read;
  final long written;
  final long dead;

  Checkpoint(Chunk chunk, long written, long dead) {
    this.range = chunk.range();
    this.seq = chunk.seq();
    this.lastKey = chunk.lastKey();
    this.last = chunk.last();
    this.read = chunk.rowsRead();
    this.written = written;
    this.dead = dead;
  }
}
