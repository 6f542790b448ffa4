package dev.ferry.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.digest.Bucketing;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.digest.RowDigest;
import dev.ferry.record.Chunk;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The rows of chunks as the reconciliation's row digests ({@link RowCanonicalizer#digest}), keyed
 * by canonical key, ready for {@link dev.ferry.reconcile.ClassifyKeys}: the seam through which a
 * side read as chunks ({@link ReadCollection}, {@link dev.ferry.read.ReadRanges}, mapped or not)
 * is compared with any other.
 *
 * <p>Each row is the chunk's mapped row when it has one, its source row otherwise, and its
 * columns are picked by name for the canonicalizer's compared columns. A row the chunk
 * dead-lettered becomes a digest that matches nothing ({@link RowCanonicalizer#rejected}), so a
 * row that could not be copied shows as a difference, never as silently absent on both sides.
 */
public final class ChunkDigests
    extends PTransform<PCollection<Chunk>, PCollection<KV<String, RowDigest>>> {
  private final RowCanonicalizer canonicalizer;
  private final Layout rowLayout;

  private ChunkDigests(RowCanonicalizer canonicalizer, Layout rowLayout) {
    this.canonicalizer = canonicalizer;
    this.rowLayout = rowLayout;
  }

  /** {@code rowLayout} describes the chunks' rows; it must hold every compared column. */
  public static ChunkDigests of(RowCanonicalizer canonicalizer, Layout rowLayout) {
    rowLayout.indexesOf(canonicalizer.columnNames());
    return new ChunkDigests(canonicalizer, rowLayout);
  }

  @Override
  public PCollection<KV<String, RowDigest>> expand(PCollection<Chunk> chunks) {
    return chunks.apply("DigestRows", ParDo.of(new DigestFn(canonicalizer, rowLayout)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RowDigest.Coder.of()));
  }

  private static final class DigestFn extends DoFn<Chunk, KV<String, RowDigest>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Bucketing ONE_BUCKET = Bucketing.byKeyHash(1);
    private final RowCanonicalizer canonicalizer;
    private final int[] picks;

    DigestFn(RowCanonicalizer canonicalizer, Layout rowLayout) {
      this.canonicalizer = canonicalizer;
      this.picks = rowLayout.indexesOf(canonicalizer.columnNames());
    }

    @ProcessElement
    public void process(@Element Chunk chunk, OutputReceiver<KV<String, RowDigest>> out)
        throws IOException {
      List<Record> rows = chunk.target() != null ? chunk.target() : chunk.source();
      for (Record r : rows) {
        Object[] compared = new Object[picks.length];
        for (int i = 0; i < picks.length; i++) {
          compared[i] = r.get(picks[i]);
        }
        out.output(canonicalizer.digest(compared, chunk.range(), ONE_BUCKET));
      }
      for (DeadLetter d : chunk.rejected()) {
        out.output(canonicalizer.rejected(keyValues(d.key()), chunk.range(), ONE_BUCKET,
            d.column()));
      }
    }

    /** The key values of a dead letter's readable key ({@code {"id": 42}}), in key order. */
    private static Object[] keyValues(String readable) throws IOException {
      JsonNode node = JSON.readTree(readable);
      Object[] values = new Object[node.size()];
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      for (int i = 0; fields.hasNext(); i++) {
        JsonNode v = fields.next().getValue();
        values[i] = v.isNull() ? null : v.isIntegralNumber() && v.canConvertToLong()
            ? (Object) v.asLong() : v.isNumber() ? (Object) v.decimalValue() : v.asText();
      }
      return values;
    }
  }
}
