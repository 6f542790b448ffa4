package dev.ferry.profile;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.plan.SourceRelation;
import dev.ferry.record.Chunk;
import dev.ferry.record.Column;
import dev.ferry.record.CopyTextRows;
import dev.ferry.record.Layout;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Profiles the rows of a source as read by {@code ReadRanges} into one {@link TableProfile}:
 * per column NULLs, approximate distinct count, min/max and for text and binary values their
 * lengths (max, p99, total, large values); and the findings that decide a migration's fate:
 * duplicate and NULL keys, encoding damage, zero, out-of-range and zone-less dates, values too
 * large, and — with {@link #withTargetFit} — rows the target would reject.
 *
 * <pre>{@code
 * PCollection<TableProfile> profile = chunks.apply("Profile",
 *     ProfileRows.of(layout, List.of("id")).withLargeValueBytes(1 << 20).withExampleKeys(5));
 * }</pre>
 *
 * <p>Findings never fail the pipeline: rows the reader rejected (zero dates, unreadable values)
 * are counted from the chunks' dead letters, with their keys. Duplicate keys are found without
 * grouping rows: each range arrives in key order, so equal keys are neighbours within a range
 * (see {@link KeyRuns}); the input must therefore be chunks of key ranges as {@code ReadRanges}
 * emits them, in the global window. When the database guarantees unique keys
 * ({@link #withKeyUnique}), that search is skipped.
 */
public final class ProfileRows extends PTransform<PCollection<Chunk>, PCollection<TableProfile>> {
  /** Default size above which a text or binary value counts as large: 1 MiB. */
  public static final long DEFAULT_LARGE_VALUE_BYTES = 1 << 20;
  public static final int DEFAULT_EXAMPLE_KEYS = 5;
  static final int MAX_EXAMPLE_KEYS = 1000;

  private final Config config;

  private ProfileRows(Config config) {
    this.config = config;
  }

  /**
   * Profiles rows of {@code layout}, keyed by {@code keyColumns}. No key columns profile a table
   * without a key ({@link SourceRelation#unkeyedTable}, read in one range): the same column
   * statistics and findings, without key checks (duplicate and NULL keys) and without example
   * keys, as no row can be named.
   */
  public static ProfileRows of(Layout layout, List<String> keyColumns) {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(keyColumns, "keyColumns");
    for (String k : keyColumns) {
      layout.indexOf(k);
    }
    return new ProfileRows(new Config(layout, List.copyOf(keyColumns)));
  }

  /** Text (as UTF-8) or binary values longer than this many bytes are reported as large. */
  public ProfileRows withLargeValueBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("largeValueBytes must be at least 1, got " + bytes);
    }
    Config c = config.copy();
    c.largeValueBytes = bytes;
    return new ProfileRows(c);
  }

  /** How many example keys each finding keeps (0 to 1000). */
  public ProfileRows withExampleKeys(int keys) {
    if (keys < 0 || keys > MAX_EXAMPLE_KEYS) {
      throw new IllegalArgumentException("exampleKeys must be between 0 and " + MAX_EXAMPLE_KEYS
          + ", got " + keys);
    }
    Config c = config.copy();
    c.exampleKeys = keys;
    return new ProfileRows(c);
  }

  /** Also reports the rows that the mapping or the target columns would reject. */
  public ProfileRows withTargetFit(TargetFit fit) {
    Objects.requireNonNull(fit, "fit");
    if (!fit.sourceLayout().equals(config.layout)) {
      throw new IllegalArgumentException("the target check's mapping was compiled for columns "
          + fit.sourceLayout().names() + ", not for the profiled " + config.layout.names());
    }
    Config c = config.copy();
    c.targetFit = fit;
    return new ProfileRows(c);
  }

  /**
   * Whether the database already guarantees that no two rows share a key: a primary key or a
   * unique constraint on the key columns (or on some of them), as
   * {@link TableCatalog#uniqueKeyConstraint} finds it. Duplicate keys are then not searched for,
   * which saves comparing and shuffling every key; NULL keys are still reported. Only set this
   * from the source's catalog: a wrong {@code true} hides duplicates.
   */
  public ProfileRows withKeyUnique(boolean unique) {
    Config c = config.copy();
    c.keyUnique = unique;
    return new ProfileRows(c);
  }

  /**
   * Also counts the rows created in the last 30 and 90 days by the window's column (see
   * {@link TableCatalog#growthWindow}), reported as {@link TableProfile#growth}: the same numbers
   * as {@link TableCatalog#growth} without a second scan of the table, except that rows the
   * reader rejected are not counted.
   */
  public ProfileRows withGrowth(GrowthWindow window) {
    Objects.requireNonNull(window, "window");
    config.layout.indexOf(window.column());
    Config c = config.copy();
    c.growth = window;
    return new ProfileRows(c);
  }

  /**
   * The same profile, read by PostgreSQL's COPY instead of {@code ReadRanges}: each key range is
   * streamed as COPY text and profiled as it is parsed, which skips the JDBC result set and the
   * chunks (about half the profile's CPU). The input is the ranges to read, fresh (a profile
   * does not resume). Only for what {@link #copyUnsupportedReason} accepts.
   */
  public CopyProfileRanges viaPostgresCopy(JdbcEndpoint source, SourceRelation relation) {
    if (!relation.keyColumns().equals(config.keyColumns)) {
      throw new IllegalArgumentException("the relation's key " + relation.keyColumns()
          + " is not the profiled key " + config.keyColumns);
    }
    String why = copyUnsupportedReason(source.dialect());
    if (why != null) {
      throw new IllegalArgumentException("cannot profile " + relation.displayName()
          + " by COPY: " + why);
    }
    return new CopyProfileRanges(config, source, relation);
  }

  /**
   * Why {@link #viaPostgresCopy} does not apply, or null when it does: it needs a PostgreSQL
   * source, integer, text or UUID key columns ({@link CopyTextRows#keyFromText}: their bounds
   * are written into the COPY statement, and keys are read back from COPY text), column
   * types whose COPY text it parses ({@link CopyText}), and a key the catalog proves unique
   * ({@link #withKeyUnique}), since it reads rows unordered and looks some up again by key. The
   * server's encoding must be UTF-8 too, which only the caller can ask.
   */
  public String copyUnsupportedReason(Dialect dialect) {
    if (dialect != Dialect.POSTGRESQL) {
      return "the source is not PostgreSQL";
    }
    if (config.keyColumns.isEmpty()) {
      return "the table has no key";
    }
    if (!config.keyUnique) {
      return "the key is not proven unique";
    }
    for (String k : config.keyColumns) {
      Column key = config.layout.column(config.layout.indexOf(k));
      if (!CopyTextRows.keyFromText(key)) {
        return "key column " + k + " is " + key.typeName() + ", not an integer, text or UUID";
      }
    }
    return CopyText.unsupportedReason(config.layout);
  }

  @Override
  public PCollection<TableProfile> expand(PCollection<Chunk> chunks) {
    SerializedCoder<ProfileStats> statsCoder = SerializedCoder.of(ProfileStats.class);
    PCollectionTuple parts = chunks.apply("ProfileChunks",
        ParDo.of(new ProfileChunksFn(config)).withOutputTags(ProfileChunksFn.STATS,
            TupleTagList.of(ProfileChunksFn.RUNS)));
    parts.get(ProfileChunksFn.RUNS)
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializedCoder.of(KeyRuns.class)));
    PCollectionList<ProfileStats> partials = PCollectionList.of(
        parts.get(ProfileChunksFn.STATS).setCoder(statsCoder));
    if (!config.keyUnique && !config.keyColumns.isEmpty()) {
      partials = partials.and(parts.get(ProfileChunksFn.RUNS)
          .apply("GroupRunsByRange", GroupByKey.create())
          .apply("FindDuplicateKeys", ParDo.of(new FindDuplicateKeysFn(config)))
          .setCoder(statsCoder));
    }
    return merge(partials, config);
  }

  static PCollection<TableProfile> merge(PCollectionList<ProfileStats> partials, Config config) {
    // A partial per bundle, a few dozen to a few hundred of about 150 KiB each: one merge takes
    // milliseconds. No fanout: on the DirectRunner it would add seven steps, each with a
    // start-up cost larger than the whole merge, and runners that lift combiners merge
    // partials before the shuffle anyway. An empty partial stands in for Combine's default
    // value, which a table without rows needs: merging it changes nothing, and it spares the
    // side input and the six steps that produce the default.
    SerializedCoder<ProfileStats> statsCoder = SerializedCoder.of(ProfileStats.class);
    PCollection<ProfileStats> empty = partials.getPipeline()
        .apply("NoRows", Impulse.create())
        .apply("EmptyProfile", ParDo.of(new EmptyProfileFn(config.layout.size(),
            config.exampleKeys)))
        .setCoder(statsCoder);
    return partials.and(empty)
        .apply("AllPartials", Flatten.pCollections())
        .apply("MergeProfiles", Combine.globally(new MergeProfilesFn(config)).withoutDefaults())
        .setCoder(SerializedCoder.of(TableProfile.class));
  }

  /** The profile of no rows, once: what the merge starts from. */
  private static final class EmptyProfileFn extends DoFn<byte[], ProfileStats> {
    private final int columns;
    private final int exampleKeys;

    EmptyProfileFn(int columns, int exampleKeys) {
      this.columns = columns;
      this.exampleKeys = exampleKeys;
    }

    @ProcessElement
    public void process(OutputReceiver<ProfileStats> out) {
      out.output(new ProfileStats(columns, exampleKeys));
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("keyColumns", String.join(",", config.keyColumns)))
        .add(DisplayData.item("largeValueBytes", config.largeValueBytes))
        .add(DisplayData.item("exampleKeys", config.exampleKeys))
        .add(DisplayData.item("targetFit", config.targetFit != null))
        .add(DisplayData.item("keyUnique", config.keyUnique))
        .addIfNotNull(DisplayData.item("growthColumn",
            config.growth == null ? null : config.growth.column()));
  }

  /** Settings shared with the DoFns; changed only on a fresh copy, before the transform exists. */
  static final class Config implements Serializable {
    private static final long serialVersionUID = 1L;
    final Layout layout;
    final List<String> keyColumns;
    long largeValueBytes = DEFAULT_LARGE_VALUE_BYTES;
    int exampleKeys = DEFAULT_EXAMPLE_KEYS;
    TargetFit targetFit;
    boolean keyUnique;
    GrowthWindow growth;

    Config(Layout layout, List<String> keyColumns) {
      this.layout = layout;
      this.keyColumns = keyColumns;
    }

    Config copy() {
      Config c = new Config(layout, keyColumns);
      c.largeValueBytes = largeValueBytes;
      c.exampleKeys = exampleKeys;
      c.targetFit = targetFit;
      c.keyUnique = keyUnique;
      c.growth = growth;
      return c;
    }
  }
}
