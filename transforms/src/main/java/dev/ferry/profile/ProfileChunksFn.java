package dev.ferry.profile;

import dev.ferry.record.Chunk;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.Record;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Profiles the rows of every chunk of a bundle into one {@link ProfileStats}, emitted when the
 * bundle finishes, and emits each chunk's {@link KeyRuns} for the duplicate-key check unless the
 * key is known to be unique. Summing per bundle keeps the shuffle down to a few partial profiles,
 * where a combine over rows would shuffle the whole table on runners that do not lift combiners
 * (the DirectRunner does not).
 */
final class ProfileChunksFn extends DoFn<Chunk, ProfileStats> {
  static final TupleTag<ProfileStats> STATS = new TupleTag<ProfileStats>() {};
  static final TupleTag<KV<Integer, KeyRuns>> RUNS = new TupleTag<KV<Integer, KeyRuns>>() {};

  private final ProfileRows.Config config;

  private transient RowProfiler profiler;

  ProfileChunksFn(ProfileRows.Config config) {
    this.config = config;
  }

  @Setup
  public void setup() {
    profiler = new RowProfiler(config);
  }

  @StartBundle
  public void startBundle() {
    profiler.start();
  }

  @ProcessElement
  public void process(@Element Chunk chunk, MultiOutputReceiver out) {
    profiler.read(chunk.rowsRead());
    for (DeadLetter d : chunk.rejected()) {
      if (d.stage() == DeadLetter.Stage.READ) {
        profiler.rejected(d.key(), d.column(), reason(d));
      }
    }
    KeyRuns.Builder runs = config.keyUnique ? null
        : new KeyRuns.Builder(config.exampleKeys, profiler.keyIndexes(), profiler::keyText);
    for (Record row : chunk.source()) {
      profiler.profile(row.values(), runs);
    }
    profiler.counted(chunk.source().size());
    // The rows are summed up: the reader may read ahead (see ReadRanges on memory).
    chunk.release();
    KeyRuns chunkRuns = runs == null ? null : runs.build(chunk.seq());
    if (chunkRuns != null) {
      out.get(RUNS).output(KV.of(chunk.range(), chunkRuns));
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    ProfileStats stats = profiler.finish();
    if (!stats.isEmpty()) {
      context.output(STATS, stats, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
  }

  /** The reader's reason without the table and column it starts with. */
  private static String reason(DeadLetter d) {
    String prefix = "column " + d.column() + ": ";
    int at = d.error().indexOf(prefix);
    return at < 0 ? d.error() : d.error().substring(at + prefix.length());
  }
}
