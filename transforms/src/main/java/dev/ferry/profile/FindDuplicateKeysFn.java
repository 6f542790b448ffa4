package dev.ferry.profile;

import dev.ferry.record.KeyCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/** Stitches the key runs of one range's chunks into that range's duplicate keys. */
final class FindDuplicateKeysFn extends DoFn<KV<Integer, Iterable<KeyRuns>>, ProfileStats> {
  private final ProfileRows.Config config;

  FindDuplicateKeysFn(ProfileRows.Config config) {
    this.config = config;
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<KeyRuns>> range,
      OutputReceiver<ProfileStats> out) {
    List<KeyRuns> chunks = new ArrayList<>();
    range.getValue().forEach(chunks::add);
    FindingTally duplicates = KeyRuns.stitch(chunks, config.exampleKeys,
        key -> KeyCodec.readable(config.keyColumns, key));
    if (duplicates.count() > 0) {
      ProfileStats stats = new ProfileStats(0, config.exampleKeys);
      stats.tally(FindingKind.DUPLICATE_KEY, null).merge(duplicates);
      out.output(stats);
    }
  }
}
