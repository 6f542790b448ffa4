package dev.ferry.read;

import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkSink;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/** {@link ReadRanges#into}: reads each range and hands its chunks to a sink, in one step. */
final class ReadRangesInto extends PTransform<PCollection<RangeTask>, PDone> {
  private final ReadRanges read;
  private final ChunkSink sink;

  ReadRangesInto(ReadRanges read, ChunkSink sink) {
    this.read = read;
    this.sink = sink;
  }

  @Override
  public PDone expand(PCollection<RangeTask> tasks) {
    ReadSettings s = read.settings(tasks);
    // Each chunk is gone into the sink before the next is read: nothing queues between steps.
    s.backpressure = false;
    s.yieldToRunner = false;
    tasks.apply("ReadRangeInto", ParDo.of(new ReadIntoFn(new ReadRangeFn(s), sink)));
    return PDone.in(tasks.getPipeline());
  }

  /**
   * Runs the range reader over a whole range in one call, with a tracker of its own. The reader
   * still returns now and then (to go back to COPY after a large row, or to wait after a
   * transient error); the loop goes on from a checkpoint after the last chunk it handed over.
   */
  static final class ReadIntoFn extends DoFn<RangeTask, Void> {
    private final ReadRangeFn reader;
    private final ChunkSink sink;

    ReadIntoFn(ReadRangeFn reader, ChunkSink sink) {
      this.reader = reader;
      this.sink = sink;
    }

    @Setup
    public void setup() throws Exception {
      reader.setup();
      sink.setup();
    }

    @ProcessElement
    public void process(@Element RangeTask task) throws Exception {
      ReadPosition position = reader.initialRestriction(task);
      while (true) {
        ReadPositionTracker tracker = new ReadPositionTracker(position);
        ProcessContinuation next;
        try {
          next = reader.read(task, tracker, this::handOver);
        } catch (SinkFailure e) {
          throw e.cause;
        }
        if (!next.shouldResume()) {
          tracker.checkDone();
          return;
        }
        SplitResult<ReadPosition> rest = tracker.trySplit(0);
        if (rest == null) {
          throw new IllegalStateException("the read of " + task.range() + " asked to resume"
              + " where it cannot: " + tracker.currentRestriction());
        }
        position = rest.getResidual();
        Thread.sleep(next.resumeDelay().getMillis());
      }
    }

    /** Sink errors pass through the reader unchecked, and so are never taken for read errors. */
    private void handOver(Chunk chunk) {
      try {
        sink.accept(chunk);
      } catch (Exception e) {
        throw new SinkFailure(e);
      }
    }

    @Teardown
    public void teardown() {
      try {
        reader.teardown();
      } finally {
        sink.teardown();
      }
    }
  }

  /** Carries a sink's exception through the reader. */
  private static final class SinkFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Exception cause;

    SinkFailure(Exception cause) {
      super(cause);
      this.cause = cause;
    }
  }
}
