package dev.ferry.profile;

import dev.ferry.record.Chunk;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.Record;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Profiles the rows of every chunk of a bundle into one {@link ProfileStats}, emitted when the
 * bundle finishes, and emits each chunk's {@link KeyRuns} for the duplicate-key check unless the
 * key is known to be unique. Summing per bundle keeps the shuffle down to a few partial profiles,
 * where a combine over rows would shuffle the whole table on runners that do not lift combiners
 * (the DirectRunner does not).
 */
final class ProfileChunksFn extends DoFn<Chunk, ProfileStats> {
  static final TupleTag<ProfileStats> STATS = new TupleTag<ProfileStats>() {};
  static final TupleTag<KV<Integer, KeyRuns>> RUNS = new TupleTag<KV<Integer, KeyRuns>>() {};

  private static final int MIN_YEAR = 1000;
  private static final int MAX_YEAR = 9999;

  private final ProfileRows.Config config;
  private final Counter rowsProfiled = Metrics.counter(ProfileRows.class, "rowsProfiled");
  private final Counter findings = Metrics.counter(ProfileRows.class, "findings");

  private transient ProfileStats stats;
  private transient TextScan scan;
  private transient int[] keyIndexes;
  private transient int growthIndex;
  /** The values of the row being profiled. */
  private transient Object[] row;

  ProfileChunksFn(ProfileRows.Config config) {
    this.config = config;
  }

  @Setup
  public void setup() {
    scan = new TextScan();
    keyIndexes = config.layout.indexesOf(config.keyColumns);
    growthIndex = config.growth == null ? -1 : config.layout.indexOf(config.growth.column);
  }

  @StartBundle
  public void startBundle() {
    stats = new ProfileStats(config.layout.size(), config.exampleKeys);
  }

  @ProcessElement
  public void process(@Element Chunk chunk, MultiOutputReceiver out) {
    stats.rowsRead += chunk.rowsRead();
    for (DeadLetter d : chunk.rejected()) {
      if (d.stage() == DeadLetter.Stage.READ) {
        stats.tally(readProblem(d), d.column()).add(d.key(), reason(d), 1);
        findings.inc();
      }
    }
    KeyRuns.Builder runs = config.keyUnique ? null
        : new KeyRuns.Builder(config.exampleKeys, keyIndexes, this::keyText);
    for (Record row : chunk.source()) {
      profile(row.values(), runs);
    }
    rowsProfiled.inc(chunk.source().size());
    // The rows are summed up: the reader may read ahead (see ReadRanges on memory).
    chunk.release();
    KeyRuns chunkRuns = runs == null ? null : runs.build(chunk.seq());
    if (chunkRuns != null) {
      out.get(RUNS).output(KV.of(chunk.range(), chunkRuns));
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (!stats.isEmpty()) {
      context.output(STATS, stats, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
    stats = null;
  }

  private String keyText(Object[] key) {
    return KeyCodec.readable(config.keyColumns, key);
  }

  /** The key of the row being profiled, rendered for the examples of a finding. */
  private String keyText() {
    Object[] key = new Object[keyIndexes.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = row[keyIndexes[i]];
    }
    return keyText(key);
  }

  private void profile(Object[] values, KeyRuns.Builder runs) {
    stats.rowsProfiled++;
    row = values;
    boolean nullKey = false;
    for (int k : keyIndexes) {
      nullKey |= values[k] == null;
    }
    if (nullKey) {
      hit(FindingKind.NULL_KEY, null, null);
    } else if (runs != null) {
      runs.add(values);
    }
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      ColumnStats column = stats.columns[i];
      if (v == null) {
        column.addNull();
      } else if (v instanceof String) {
        String s = (String) v;
        scan.scan(s);
        column.addText(s, scan, config.largeValueBytes);
        if (scan.damage != null) {
          hit(scan.damage, i, null);
        }
        checkLarge(scan.utf8Bytes, i);
      } else if (v instanceof byte[]) {
        byte[] b = (byte[]) v;
        column.addBytes(b, config.largeValueBytes);
        checkLarge(b.length, i);
      } else {
        column.addValue(v);
        int year = year(v);
        if (year < MIN_YEAR || year > MAX_YEAR) {
          hit(FindingKind.OUT_OF_RANGE_DATE, i, "year " + year);
        }
      }
    }
    if (growthIndex >= 0 && values[growthIndex] != null) {
      GrowthWindow.Age age = config.growth.place(values[growthIndex]);
      stats.grown30 += age == GrowthWindow.Age.LAST_30_DAYS ? 1 : 0;
      stats.grown90 += age != GrowthWindow.Age.OLDER_OR_FUTURE ? 1 : 0;
    }
    if (config.targetFit != null) {
      TargetFit.Misfit misfit = config.targetFit.check(values);
      if (misfit != null) {
        hit(misfit.kind(), misfit.column(), misfit.reason());
      }
    }
  }

  private void checkLarge(long bytes, int column) {
    if (bytes > config.largeValueBytes) {
      hit(FindingKind.LARGE_VALUE, column, bytes + " bytes");
    }
  }

  /** The year of a date or timestamp; a year inside the accepted range for anything else. */
  private static int year(Object v) {
    if (v instanceof LocalDate) {
      return ((LocalDate) v).getYear();
    }
    if (v instanceof LocalDateTime) {
      return ((LocalDateTime) v).getYear();
    }
    if (v instanceof OffsetDateTime) {
      return ((OffsetDateTime) v).getYear();
    }
    return MIN_YEAR;
  }

  private void hit(FindingKind kind, int column, String detail) {
    hit(kind, config.layout.column(column).name(), detail);
  }

  private void hit(FindingKind kind, String column, String detail) {
    stats.tally(kind, column).add(keyText(), detail, 1);
    findings.inc();
  }

  /**
   * The finding a read rejection stands for. The reader rejects a row for the first value it
   * cannot represent; its messages (from {@code ColumnReader}) name zero dates and infinite
   * timestamps, and everything else is an unreadable value.
   */
  private static FindingKind readProblem(DeadLetter d) {
    if (d.error().contains("zero date '")) {
      return FindingKind.ZERO_DATE;
    }
    if (d.error().contains("is infinite")) {
      return FindingKind.OUT_OF_RANGE_DATE;
    }
    return FindingKind.UNREADABLE_VALUE;
  }

  /** The reader's reason without the table and column it starts with. */
  private static String reason(DeadLetter d) {
    String prefix = "column " + d.column() + ": ";
    int at = d.error().indexOf(prefix);
    return at < 0 ? d.error() : d.error().substring(at + prefix.length());
  }
}
