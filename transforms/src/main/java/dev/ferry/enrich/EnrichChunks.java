package dev.ferry.enrich;

import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkCoder;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import dev.ferry.record.RecordCoder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Fills columns of mapped chunks from a lookup ({@link Lookup}): the classic case is {@code
 * orders} getting {@code phone} from {@code email_lookup} by {@code email}.
 *
 * <pre>{@code
 * Lookup lookup = Lookup.compile(rule, mappedLayout, ReadLookupTable.describe(db, table));
 * PCollection<Chunk> enriched = mapped.apply("Enrich",
 *     EnrichChunks.with(lookup, ReadLookupTable.plan(db, table, lookup, 8), sourceLayout,
 *             sourceKey, "orders")
 *         .withStrategy(Lookup.Strategy.JOIN));
 * }</pre>
 *
 * <p>The lookup's rows come from a reader transform as {@code KV<joinKey, values>} ({@link
 * JoinKey}). Two strategies give the same result:
 *
 * <ul>
 *   <li>{@link Lookup.Strategy#SIDE_INPUT} (default): the lookup becomes a multimap side input
 *       that every worker holds. Chunks flow straight on to the writer. For lookups that fit in
 *       memory.
 *   <li>{@link Lookup.Strategy#JOIN}: each row's key is sent to a CoGroupByKey with the lookup
 *       rows; the matches are then grouped back to their chunk by (range, sequence number), so a
 *       chunk still reaches the writer whole with its checkpoint. Only keys and matched values
 *       travel through the first shuffle, the chunk itself through the second. A grouping is a
 *       barrier: chunks are written once every row and lookup row was read. On the DirectRunner
 *       that means the rows are held in memory; use it on a cluster runner for large tables.
 * </ul>
 */
public final class EnrichChunks extends PTransform<PCollection<Chunk>, PCollection<Chunk>> {
  private final ChunkEnricher enricher;
  private final PTransform<PBegin, PCollection<KV<String, Record>>> lookupRows;
  private final Lookup.Strategy strategy;

  private EnrichChunks(ChunkEnricher enricher,
      PTransform<PBegin, PCollection<KV<String, Record>>> lookupRows, Lookup.Strategy strategy) {
    this.enricher = enricher;
    this.lookupRows = lookupRows;
    this.strategy = strategy;
  }

  /**
   * Enriches chunks with {@code lookup}, whose rows {@code lookupRows} reads; {@code
   * sourceLayout} and {@code sourceKeyColumns} name rows in dead letters, {@code tableName} in
   * messages.
   */
  public static EnrichChunks with(Lookup lookup,
      PTransform<PBegin, PCollection<KV<String, Record>>> lookupRows, Layout sourceLayout,
      List<String> sourceKeyColumns, String tableName) {
    Objects.requireNonNull(lookup, "lookup");
    Objects.requireNonNull(lookupRows, "lookupRows");
    sourceLayout.indexesOf(sourceKeyColumns);
    return new EnrichChunks(new ChunkEnricher(lookup, sourceLayout,
        List.copyOf(sourceKeyColumns), tableName), lookupRows, Lookup.Strategy.SIDE_INPUT);
  }

  public EnrichChunks withStrategy(Lookup.Strategy strategy) {
    return new EnrichChunks(enricher, lookupRows, Objects.requireNonNull(strategy, "strategy"));
  }

  @Override
  public PCollection<Chunk> expand(PCollection<Chunk> chunks) {
    PCollection<KV<String, Record>> rows = chunks.getPipeline()
        .apply("ReadLookup", lookupRows)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of()));
    PCollection<Chunk> out = strategy == Lookup.Strategy.SIDE_INPUT
        ? viaSideInput(chunks, rows)
        : viaJoin(chunks, rows);
    return out.setCoder(ChunkCoder.of());
  }

  private PCollection<Chunk> viaSideInput(PCollection<Chunk> chunks,
      PCollection<KV<String, Record>> rows) {
    PCollectionView<Map<String, Iterable<Record>>> view = rows.apply("AsMultimap",
        View.asMultimap());
    return chunks.apply("EnrichRows", ParDo.of(new SideInputFn(enricher, view))
        .withSideInputs(view));
  }

  private static final class SideInputFn extends DoFn<Chunk, Chunk> {
    private final ChunkEnricher enricher;
    private final PCollectionView<Map<String, Iterable<Record>>> view;

    SideInputFn(ChunkEnricher enricher, PCollectionView<Map<String, Iterable<Record>>> view) {
      this.enricher = enricher;
      this.view = view;
    }

    @ProcessElement
    public void process(@Element Chunk chunk, OutputReceiver<Chunk> out, ProcessContext c) {
      Map<String, Iterable<Record>> lookup = c.sideInput(view);
      Lookup l = enricher.lookup();
      out.output(enricher.enrich(chunk, row -> {
        String key = l.keyOf(chunk.target().get(row).values());
        Iterable<Record> found = key == null ? null : lookup.get(key);
        return distinct(found == null ? List.of() : found);
      }));
    }
  }

  private static Set<Record> distinct(Iterable<Record> rows) {
    Set<Record> set = new LinkedHashSet<>();
    for (Record r : rows) {
      set.add(r);
    }
    return set;
  }

  private static final TupleTag<KV<String, Chunk>> CHUNKS = new TupleTag<>() {};
  private static final TupleTag<KV<String, KV<String, Integer>>> REFS = new TupleTag<>() {};

  private PCollection<Chunk> viaJoin(PCollection<Chunk> chunks,
      PCollection<KV<String, Record>> rows) {
    PCollectionTuple keyed = chunks.apply("KeyRows", ParDo.of(new KeyRowsFn(enricher.lookup()))
        .withOutputTags(CHUNKS, TupleTagList.of(REFS)));
    PCollection<KV<String, Chunk>> byId = keyed.get(CHUNKS)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ChunkCoder.of()));
    PCollection<KV<String, KV<String, Integer>>> refs = keyed.get(REFS)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(),
            VarIntCoder.of())));
    TupleTag<KV<String, Integer>> refTag = new TupleTag<>();
    TupleTag<Record> rowTag = new TupleTag<>();
    PCollection<KV<String, KV<Integer, List<Record>>>> matches = KeyedPCollectionTuple
        .of(refTag, refs)
        .and(rowTag, rows)
        .apply("JoinLookup", CoGroupByKey.create())
        .apply("RouteMatches", ParDo.of(new RouteMatchesFn(refTag, rowTag)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarIntCoder.of(),
            ListCoder.of(RecordCoder.of()))));
    TupleTag<Chunk> chunkTag = new TupleTag<>();
    TupleTag<KV<Integer, List<Record>>> matchTag = new TupleTag<>();
    return KeyedPCollectionTuple.of(chunkTag, byId)
        .and(matchTag, matches)
        .apply("GroupByChunk", CoGroupByKey.create())
        .apply("EnrichRows", ParDo.of(new ReassembleFn(enricher, chunkTag, matchTag)));
  }

  private static String chunkId(Chunk chunk) {
    return chunk.range() + "/" + chunk.seq();
  }

  /** Emits each chunk by its id, and a reference to each row that can match by its join key. */
  private static final class KeyRowsFn extends DoFn<Chunk, KV<String, Chunk>> {
    private final Lookup lookup;

    KeyRowsFn(Lookup lookup) {
      this.lookup = lookup;
    }

    @ProcessElement
    public void process(@Element Chunk chunk, MultiOutputReceiver out) {
      String id = chunkId(chunk);
      for (int r = 0; r < chunk.target().size(); r++) {
        String key = lookup.keyOf(chunk.target().get(r).values());
        if (key != null) {
          out.get(REFS).output(KV.of(key, KV.of(id, r)));
        }
      }
      // The chunk now waits in a grouping for every other one: the readers' in-flight account
      // must not count it, or they would wait for a writer that cannot start before they end.
      chunk.release();
      out.get(CHUNKS).output(KV.of(id, chunk));
    }
  }

  /** For one join key: sends the distinct matching lookup rows to every row that asked. */
  private static final class RouteMatchesFn
      extends DoFn<KV<String, CoGbkResult>, KV<String, KV<Integer, List<Record>>>> {
    private final TupleTag<KV<String, Integer>> refTag;
    private final TupleTag<Record> rowTag;

    RouteMatchesFn(TupleTag<KV<String, Integer>> refTag, TupleTag<Record> rowTag) {
      this.refTag = refTag;
      this.rowTag = rowTag;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined,
        OutputReceiver<KV<String, KV<Integer, List<Record>>>> out) {
      List<Record> found = new ArrayList<>(distinct(joined.getValue().getAll(rowTag)));
      if (found.isEmpty()) {
        return;
      }
      for (KV<String, Integer> ref : joined.getValue().getAll(refTag)) {
        out.output(KV.of(ref.getKey(), KV.of(ref.getValue(), found)));
      }
    }
  }

  /** Puts a chunk back together with the matches of its rows and enriches it. */
  private static final class ReassembleFn extends DoFn<KV<String, CoGbkResult>, Chunk> {
    private final ChunkEnricher enricher;
    private final TupleTag<Chunk> chunkTag;
    private final TupleTag<KV<Integer, List<Record>>> matchTag;

    ReassembleFn(ChunkEnricher enricher, TupleTag<Chunk> chunkTag,
        TupleTag<KV<Integer, List<Record>>> matchTag) {
      this.enricher = enricher;
      this.chunkTag = chunkTag;
      this.matchTag = matchTag;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> grouped, OutputReceiver<Chunk> out) {
      Chunk chunk = grouped.getValue().getOnly(chunkTag);
      Map<Integer, Collection<Record>> byRow = new HashMap<>();
      for (KV<Integer, List<Record>> m : grouped.getValue().getAll(matchTag)) {
        byRow.put(m.getKey(), m.getValue());
      }
      out.output(enricher.enrich(chunk, row -> byRow.getOrDefault(row, List.of())));
    }
  }
}
