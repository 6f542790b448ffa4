package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.digest.RowDigest;
import dev.ferry.map.MappingException;
import dev.ferry.record.KeyCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Checks a sample of source keys ({@link SampleKeys}) by point lookups on both sides and
 * classifies them exactly like {@link Reconcile}, with the same outputs; the error rate is the
 * share of sampled keys that are not matches ({@link ErrorRate}). Extra target rows cannot be
 * seen this way: only source keys are sampled.
 */
public final class ReconcileSample extends PTransform<PBegin, PCollectionTuple> {
  private final ReconcileSide source;
  private final ReconcileSide target;
  private final RowCanonicalizer canonicalizer;
  private final List<List<String>> batches;

  private ReconcileSample(ReconcileSide source, ReconcileSide target,
      RowCanonicalizer canonicalizer, List<List<String>> batches) {
    this.source = source;
    this.target = target;
    this.canonicalizer = canonicalizer;
    this.batches = batches;
  }

  /** Compares the rows of {@code sampledKeys} (source lookup key values). */
  public static ReconcileSample of(ReconcileSide source, ReconcileSide target,
      RowCanonicalizer canonicalizer, List<Object[]> sampledKeys) {
    if (!Objects.requireNonNull(source, "source").hasLookupKey()) {
      throw new IllegalArgumentException("sampling looks source rows up by the target key, but"
          + " the mapping of " + source.displayName() + " computes the key instead of copying it");
    }
    List<List<String>> batches = new ArrayList<>();
    for (int from = 0; from < sampledKeys.size(); from += KeyLookup.BATCH) {
      List<String> batch = new ArrayList<>();
      for (Object[] key : sampledKeys.subList(from, Math.min(sampledKeys.size(),
          from + KeyLookup.BATCH))) {
        batch.add(KeyCodec.encode(key));
      }
      batches.add(batch);
    }
    return new ReconcileSample(source, target, Objects.requireNonNull(canonicalizer,
        "canonicalizer"), batches);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple looked = begin
        .apply("SampledKeys", Create.of(batches).withCoder(ListCoder.of(StringUtf8Coder.of())))
        .apply("LookUpBothSides", ParDo.of(new LookupFn(source, target, canonicalizer))
            .withOutputTags(LookupFn.SOURCE, TupleTagList.of(LookupFn.TARGET)));
    KvCoder<String, RowDigest> coder = KvCoder.of(StringUtf8Coder.of(), RowDigest.Coder.of());
    PCollection<KV<String, RowDigest>> sourceRows = looked.get(LookupFn.SOURCE).setCoder(coder);
    PCollection<KV<String, RowDigest>> targetRows = looked.get(LookupFn.TARGET).setCoder(coder);
    PCollectionTuple classified = PCollectionTuple.of(ClassifyKeys.SOURCE, sourceRows)
        .and(ClassifyKeys.TARGET, targetRows)
        .apply("ClassifyKeys", ClassifyKeys.comparing(canonicalizer.columnNames(),
            canonicalizer.floatTolerance()).withJoinPartitions(batches.size()));
    PCollection<KV<String, Long>> facts = classified.get(ClassifyKeys.FACTS)
        .apply("SumFacts", Sum.longsPerKey())
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return PCollectionTuple.of(Reconcile.DIFFERENCES, classified.get(ClassifyKeys.DIFFERENCES))
        .and(Reconcile.FACTS, facts);
  }

  private static final class LookupFn extends DoFn<List<String>, KV<String, RowDigest>> {
    static final TupleTag<KV<String, RowDigest>> SOURCE = new TupleTag<KV<String, RowDigest>>() {};
    static final TupleTag<KV<String, RowDigest>> TARGET = new TupleTag<KV<String, RowDigest>>() {};
    private static final Bucketing ONE_BUCKET = Bucketing.byKeyHash(1);

    private final ReconcileSide source;
    private final ReconcileSide target;
    private final RowCanonicalizer canonicalizer;
    private final Counter keysLookedUp = Metrics.counter(ReconcileFacts.NAMESPACE,
        "sampleKeysLookedUp");
    private transient KeyLookup sourceLookup;
    private transient KeyLookup targetLookup;

    LookupFn(ReconcileSide source, ReconcileSide target, RowCanonicalizer canonicalizer) {
      this.source = source;
      this.target = target;
      this.canonicalizer = canonicalizer;
    }

    @Setup
    public void setup() {
      sourceLookup = new KeyLookup(source);
      targetLookup = new KeyLookup(target);
    }

    @ProcessElement
    public void process(@Element List<String> batch, MultiOutputReceiver out) throws Exception {
      List<Object[]> keys = new ArrayList<>(batch.size());
      for (String encoded : batch) {
        keys.add(KeyCodec.decode(encoded));
      }
      keysLookedUp.inc(keys.size());
      List<Object[]> targetKeys = new ArrayList<>();
      for (Object[] read : sourceLookup.readRows(keys)) {
        KV<String, RowDigest> digest;
        try {
          digest = canonicalizer.digest(source.toCompared(read), 0, ONE_BUCKET);
        } catch (MappingException e) {
          digest = canonicalizer.rejected(source.comparedKeyOf(read), 0, ONE_BUCKET,
              e.column() == null ? "" : e.column());
        }
        out.get(SOURCE).output(digest);
        targetKeys.add(canonicalizer.decodeKey(digest.getKey()));
      }
      for (Object[] row : targetLookup.readRows(targetKeys)) {
        out.get(TARGET).output(canonicalizer.digest(target.toCompared(row), 0, ONE_BUCKET));
      }
    }
  }
}
