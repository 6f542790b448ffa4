package dev.ferry.digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Adds row digests into a table or range digest ({@link Digest}), in any order and any split:
 * use with {@code Combine.globally} for a whole table or {@code Combine.perKey} per range.
 */
public final class DigestCombineFn extends Combine.CombineFn<Digest, DigestCombineFn.Sum, Digest> {
  private static final long serialVersionUID = 1L;

  /** Mutable running sum; one per bundle and key, never shared. */
  public static final class Sum {
    long count;
    long lane1;
    long lane2;
  }

  @Override
  public Sum createAccumulator() {
    return new Sum();
  }

  @Override
  public Sum addInput(Sum sum, Digest input) {
    sum.count += input.count();
    sum.lane1 += input.lane1();
    sum.lane2 += input.lane2();
    return sum;
  }

  @Override
  public Sum mergeAccumulators(Iterable<Sum> sums) {
    Sum merged = new Sum();
    for (Sum s : sums) {
      merged.count += s.count;
      merged.lane1 += s.lane1;
      merged.lane2 += s.lane2;
    }
    return merged;
  }

  @Override
  public Digest extractOutput(Sum sum) {
    return new Digest(sum.count, sum.lane1, sum.lane2);
  }

  @Override
  public Coder<Sum> getAccumulatorCoder(CoderRegistry registry, Coder<Digest> inputCoder)
      throws CannotProvideCoderException {
    return SumCoder.INSTANCE;
  }

  @Override
  public Coder<Digest> getDefaultOutputCoder(CoderRegistry registry, Coder<Digest> inputCoder) {
    return Digest.Coder.of();
  }

  private static final class SumCoder extends AtomicCoder<Sum> {
    static final SumCoder INSTANCE = new SumCoder();

    @Override
    public void encode(Sum sum, OutputStream out) throws IOException {
      Digest.Coder.of().encode(new Digest(sum.count, sum.lane1, sum.lane2), out);
    }

    @Override
    public Sum decode(InputStream in) throws IOException {
      Digest d = Digest.Coder.of().decode(in);
      Sum sum = new Sum();
      sum.count = d.count();
      sum.lane1 = d.lane1();
      sum.lane2 = d.lane2();
      return sum;
    }
  }
}
