package dev.ferry.record;

import java.io.Serializable;

/**
 * Takes the chunks of a range one at a time, in order, on the thread that read them, and is done
 * with each before the next is read. Reading, mapping and writing then run as one step, which a
 * runner that does not fuse steps (the DirectRunner) would otherwise run one after another, with
 * every chunk of a step held in memory until the next step starts.
 */
public interface ChunkSink extends Serializable {
  /** Called once per instance before the first chunk, like a DoFn's {@code @Setup}. */
  void setup() throws Exception;

  void accept(Chunk chunk) throws Exception;

  /** Called once per instance when it is discarded, like a DoFn's {@code @Teardown}. */
  void teardown();
}
