package dev.ferry.profile;

import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/** Merges partial profiles into the table's profile. */
final class MergeProfilesFn extends Combine.CombineFn<ProfileStats, ProfileStats, TableProfile> {
  private final ProfileRows.Config config;

  MergeProfilesFn(ProfileRows.Config config) {
    this.config = config;
  }

  @Override
  public ProfileStats createAccumulator() {
    return new ProfileStats(config.layout.size(), config.exampleKeys);
  }

  @Override
  public ProfileStats addInput(ProfileStats accumulator, ProfileStats partial) {
    accumulator.merge(partial);
    return accumulator;
  }

  @Override
  public ProfileStats mergeAccumulators(Iterable<ProfileStats> accumulators) {
    ProfileStats merged = createAccumulator();
    for (ProfileStats a : accumulators) {
      merged.merge(a);
    }
    return merged;
  }

  @Override
  public TableProfile extractOutput(ProfileStats accumulator) {
    return accumulator.toProfile(config.layout, config.largeValueBytes, config.growth);
  }

  @Override
  public Coder<ProfileStats> getAccumulatorCoder(CoderRegistry registry,
      Coder<ProfileStats> inputCoder) throws CannotProvideCoderException {
    return SerializedCoder.of(ProfileStats.class);
  }

  @Override
  public Coder<TableProfile> getDefaultOutputCoder(CoderRegistry registry,
      Coder<ProfileStats> inputCoder) {
    return SerializedCoder.of(TableProfile.class);
  }
}
