package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.Digest;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.digest.RowDigest;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads the rows of one side in the selected key ranges (or only their selected buckets) and
 * emits each as its canonical key and {@link RowDigest} ({@link #ROWS}); the row itself never
 * leaves the reader. A range read whole also yields the digest of each of its buckets
 * ({@link #RANGE_DIGESTS}), summed as the rows stream by, so comparing buckets needs no shuffle
 * of rows. On the source, rows are mapped first; a row the mapping rejects is emitted with the
 * rejecting column, keyed by its key as copied, so it is reported instead of dropped.
 *
 * <p>Reads only: connections are read-only and each range is streamed with a bounded fetch size.
 */
public final class ReadDigests extends PTransform<PCollection<RangeSelection>, PCollectionTuple> {
  public static final TupleTag<KV<String, RowDigest>> ROWS =
      new TupleTag<KV<String, RowDigest>>() {};
  /** Per range read whole: bucket to digest. */
  public static final TupleTag<KV<Integer, Map<Long, Digest>>> RANGE_DIGESTS =
      new TupleTag<KV<Integer, Map<Long, Digest>>>() {};

  private final ReconcileSide side;
  private final RowCanonicalizer canonicalizer;
  private final Bucketing bucketing;
  private final String hashBucketSql;
  private final int fetchSize;

  private ReadDigests(ReconcileSide side, RowCanonicalizer canonicalizer, Bucketing bucketing,
      String hashBucketSql, int fetchSize) {
    this.side = side;
    this.canonicalizer = canonicalizer;
    this.bucketing = bucketing;
    this.hashBucketSql = hashBucketSql;
    this.fetchSize = fetchSize;
  }

  /** Reads {@code side}; {@code bucketing} places each row in a bucket of its range. */
  public static ReadDigests of(ReconcileSide side, RowCanonicalizer canonicalizer,
      Bucketing bucketing) {
    return new ReadDigests(Objects.requireNonNull(side, "side"),
        Objects.requireNonNull(canonicalizer, "canonicalizer"),
        Objects.requireNonNull(bucketing, "bucketing"), null, 2000);
  }

  /**
   * The SQL that computed hash buckets on this side, so selected hash buckets are read back by
   * the same expression; needed only to read hash buckets chosen by SQL checksums.
   */
  public ReadDigests withHashBucketSql(String sql) {
    return new ReadDigests(side, canonicalizer, bucketing, Objects.requireNonNull(sql, "sql"),
        fetchSize);
  }

  /** Rows fetched per round trip (PostgreSQL; MySQL streams row by row). */
  public ReadDigests withFetchSize(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("fetch size must be at least 1, got " + rows);
    }
    return new ReadDigests(side, canonicalizer, bucketing, hashBucketSql, rows);
  }

  @Override
  public PCollectionTuple expand(PCollection<RangeSelection> selections) {
    PCollectionTuple out = selections.apply("ReadRows", ParDo.of(new ReadFn(side, canonicalizer,
        bucketing, hashBucketSql, fetchSize)).withOutputTags(ROWS,
        TupleTagList.of(RANGE_DIGESTS)));
    out.get(ROWS).setCoder(KvCoder.of(StringUtf8Coder.of(), RowDigest.Coder.of()));
    out.get(RANGE_DIGESTS).setCoder(rangeDigestsCoder());
    return out;
  }

  /** Coder of per-range bucket digests. */
  public static KvCoder<Integer, Map<Long, Digest>> rangeDigestsCoder() {
    return KvCoder.of(VarIntCoder.of(), MapCoder.of(VarLongCoder.of(), Digest.Coder.of()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("side", side.toString()))
        .add(DisplayData.item("bucketing", bucketing.toString()));
  }

  private static final class ReadFn extends DoFn<RangeSelection, KV<String, RowDigest>> {
    private final ReconcileSide side;
    private final RowCanonicalizer canonicalizer;
    private final Bucketing bucketing;
    private final String hashBucketSql;
    private final int fetchSize;
    private final Counter rowsRead;
    private final Counter rowsRejected;
    private transient RangeReader reader;

    ReadFn(ReconcileSide side, RowCanonicalizer canonicalizer, Bucketing bucketing,
        String hashBucketSql, int fetchSize) {
      this.side = side;
      this.canonicalizer = canonicalizer;
      this.bucketing = bucketing;
      this.hashBucketSql = hashBucketSql;
      this.fetchSize = fetchSize;
      this.rowsRead = Metrics.counter(ReconcileFacts.NAMESPACE, side.role() + "RowsRead");
      this.rowsRejected = Metrics.counter(ReconcileFacts.NAMESPACE,
          side.role() + "RowsRejectedByMapping");
    }

    @Setup
    public void setup() {
      reader = new RangeReader(side, canonicalizer, bucketing, hashBucketSql, fetchSize, null);
    }

    @ProcessElement
    public void process(@Element RangeSelection selection, MultiOutputReceiver out)
        throws Exception {
      RangeReader.Result result = reader.read(selection, row -> out.get(ROWS).output(row));
      rowsRead.inc(result.rows);
      rowsRejected.inc(result.rejected);
      if (selection.whole()) {
        out.get(RANGE_DIGESTS).output(KV.of(selection.range().index(), result.buckets));
      }
    }
  }
}
