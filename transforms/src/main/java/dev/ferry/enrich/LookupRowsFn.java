package dev.ferry.enrich;

import dev.ferry.record.Chunk;
import dev.ferry.record.Record;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Turns chunks of lookup rows, as a table or collection reader yields them, into (join key,
 * values) pairs. Rows with a NULL in the key match nothing and are left out.
 */
final class LookupRowsFn extends DoFn<Chunk, KV<String, Record>> {
  private final String lookupName;
  private final int[] keyIndexes;
  private final int[] valueIndexes;

  LookupRowsFn(String lookupName, int[] keyIndexes, int[] valueIndexes) {
    this.lookupName = lookupName;
    this.keyIndexes = keyIndexes;
    this.valueIndexes = valueIndexes;
  }

  @ProcessElement
  public void process(@Element Chunk chunk, OutputReceiver<KV<String, Record>> out) {
    if (!chunk.rejected().isEmpty()) {
      // A lookup row that cannot be read could be the match of any row: never guess.
      throw new IllegalStateException("lookup " + lookupName + ": a row could not be read: "
          + chunk.rejected().get(0));
    }
    for (Record row : chunk.source()) {
      String key = JoinKey.of(pick(row, keyIndexes));
      if (key != null) {
        out.output(KV.of(key, new Record(pick(row, valueIndexes))));
      }
    }
    // Nothing writes lookup chunks: end their count in the readers' in-flight account now.
    chunk.release();
  }

  private static Object[] pick(Record row, int[] indexes) {
    Object[] values = new Object[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      values[i] = row.get(indexes[i]);
    }
    return values;
  }
}
