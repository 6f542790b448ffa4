package dev.ferry.read;

import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The key ranges to read, each under a key of its own, so that the runner hands them to
 * different workers. It does what {@code Create.of(ranges)} followed by
 * {@code Reshuffle.viaRandomKey()} does, in four steps instead of ten: on the DirectRunner,
 * {@code Create} reads its elements through a splittable source and {@code Reshuffle} wraps its
 * GroupByKey in five more steps, and every step costs start-up time (classes, a DoFn invoker, a
 * bundle to schedule) in a run that lasts seconds. Keys by position, unlike random keys, never
 * put two ranges in one bundle while a worker waits.
 */
public final class SpreadRanges extends PTransform<PBegin, PCollection<RangeTask>> {
  private final List<RangeTask> ranges;

  private SpreadRanges(List<RangeTask> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  public static SpreadRanges of(List<RangeTask> ranges) {
    return new SpreadRanges(ranges);
  }

  @Override
  public PCollection<RangeTask> expand(PBegin begin) {
    SerializableCoder<RangeTask> coder = SerializableCoder.of(RangeTask.class);
    return begin
        .apply("Impulse", Impulse.create())
        .apply("KeyByPosition", ParDo.of(new KeyByPositionFn(ranges)))
        .setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("GroupByPosition", GroupByKey.create())
        .apply("Ungroup", ParDo.of(new UngroupFn()))
        .setCoder(coder);
  }

  /** Emits every range keyed by its position in the plan, once, for the impulse. */
  private static final class KeyByPositionFn extends DoFn<byte[], KV<Integer, RangeTask>> {
    private final List<RangeTask> ranges;

    KeyByPositionFn(List<RangeTask> ranges) {
      this.ranges = ranges;
    }

    @ProcessElement
    public void process(OutputReceiver<KV<Integer, RangeTask>> out) {
      for (int i = 0; i < ranges.size(); i++) {
        out.output(KV.of(i, ranges.get(i)));
      }
    }
  }

  private static final class UngroupFn extends DoFn<KV<Integer, Iterable<RangeTask>>, RangeTask> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<RangeTask>> group,
        OutputReceiver<RangeTask> out) {
      for (RangeTask range : group.getValue()) {
        out.output(range);
      }
    }
  }
}
