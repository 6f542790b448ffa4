package dev.ferry.profile;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.plan.SourceRelation;
import dev.ferry.read.RangeTask;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Profiles the key ranges of a PostgreSQL table by reading each with COPY and profiling its text
 * as it streams in; made by {@link ProfileRows#viaPostgresCopy}. The profile is the one
 * {@link ProfileRows} gives for the same rows read by {@code ReadRanges}, number for number.
 */
public final class CopyProfileRanges
    extends PTransform<PCollection<RangeTask>, PCollection<TableProfile>> {
  private final ProfileRows.Config config;
  private final JdbcEndpoint source;
  private final SourceRelation relation;

  CopyProfileRanges(ProfileRows.Config config, JdbcEndpoint source, SourceRelation relation) {
    this.config = config;
    this.source = source;
    this.relation = relation;
  }

  @Override
  public PCollection<TableProfile> expand(PCollection<RangeTask> ranges) {
    PCollection<ProfileStats> partials = ranges
        .apply("CopyAndProfile", ParDo.of(new CopyProfileFn(config, source, relation)))
        .setCoder(SerializedCoder.of(ProfileStats.class));
    return ProfileRows.merge(PCollectionList.of(partials), config);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("source", source.toString()))
        .add(DisplayData.item("relation", relation.displayName()));
  }
}
