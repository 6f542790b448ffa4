package dev.ferry.profile;

import dev.ferry.record.KeyCodec;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The per-row work of a profile, shared by the readers that feed it ({@link ProfileChunksFn}
 * for rows read into chunks, {@link CopyProfileFn} for rows parsed from PostgreSQL's COPY
 * text): sums one row's values into a {@link ProfileStats} and tallies its findings. One
 * instance per DoFn instance; {@link #start} begins a new partial profile.
 */
final class RowProfiler {
  private static final int MIN_YEAR = 1000;
  private static final int MAX_YEAR = 9999;

  private final ProfileRows.Config config;
  private final Counter rowsProfiled = Metrics.counter(ProfileRows.class, "rowsProfiled");
  private final Counter findings = Metrics.counter(ProfileRows.class, "findings");
  private final TextScan scan = new TextScan();
  private final int[] keyIndexes;
  private final int growthIndex;

  private ProfileStats stats;
  /** The values of the row being profiled. */
  private Object[] row;

  RowProfiler(ProfileRows.Config config) {
    this.config = config;
    keyIndexes = config.layout.indexesOf(config.keyColumns);
    growthIndex = config.growth == null ? -1 : config.layout.indexOf(config.growth.column());
  }

  void start() {
    stats = new ProfileStats(config.layout.size(), config.exampleKeys);
  }

  /** The partial profile since {@link #start}; the profiler needs a new start after it. */
  ProfileStats finish() {
    ProfileStats done = stats;
    stats = null;
    return done;
  }

  int[] keyIndexes() {
    return keyIndexes;
  }

  /** Counts rows read, whether profiled or rejected. */
  void read(long rows) {
    stats.rowsRead += rows;
  }

  /**
   * A row the reader rejected for the first value it could not represent: {@code message} is the
   * reader's reason (from {@code ColumnReader}), which names zero dates and infinite timestamps;
   * everything else is an unreadable value.
   */
  void rejected(String key, String column, String message) {
    FindingKind kind = message.contains("zero date '") ? FindingKind.ZERO_DATE
        : message.contains("is infinite") ? FindingKind.OUT_OF_RANGE_DATE
        : FindingKind.UNREADABLE_VALUE;
    // Without key columns the reader's key is empty and names no row: keep no example.
    stats.tally(kind, column).add(config.keyColumns.isEmpty() ? null : key, message, 1);
    findings.inc();
  }

  /** Counts {@code rows} profiled rows in the pipeline's metrics (once per chunk or range). */
  void counted(long rows) {
    rowsProfiled.inc(rows);
  }

  /** The key as text for a finding's examples; null for a table without a key (no examples). */
  String keyText(Object[] key) {
    if (config.keyColumns.isEmpty()) {
      return null;
    }
    return KeyCodec.readable(config.keyColumns, key);
  }

  /** Profiles one row; {@code runs}, when given, collects its key for the duplicate search. */
  void profile(Object[] values, KeyRuns.Builder runs) {
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
      int month = month(values[growthIndex]);
      if (month >= 0) {
        stats.addMonth(month, 1);
      }
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

  /** Year × 100 + month of a date or timestamp (as the value reads), or -1. */
  private static int month(Object v) {
    if (v instanceof LocalDate) {
      return ((LocalDate) v).getYear() * 100 + ((LocalDate) v).getMonthValue();
    }
    if (v instanceof LocalDateTime) {
      return ((LocalDateTime) v).getYear() * 100 + ((LocalDateTime) v).getMonthValue();
    }
    if (v instanceof OffsetDateTime) {
      return ((OffsetDateTime) v).getYear() * 100 + ((OffsetDateTime) v).getMonthValue();
    }
    return -1;
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
    Object[] key = new Object[keyIndexes.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = row[keyIndexes[i]];
    }
    stats.tally(kind, column).add(keyText(key), detail, 1);
    findings.inc();
  }
}
