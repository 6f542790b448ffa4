package dev.ferry.pipelines.backfill;

import dev.ferry.jdbc.ColumnKinds;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.progress.JobState;
import dev.ferry.record.Column;
import dev.ferry.record.ConversionException;
import dev.ferry.record.Conversions;
import dev.ferry.record.KeyCodec;
import dev.ferry.record.ValueKind;

/** The catch-up run's lower bound: {@code since.value} as given, or {@code last}'s watermark. */
final class SinceValue {
  private SinceValue() {}

  /** The encoded bound, or null for a full backfill. */
  static String resolve(BackfillConfig config, JobState store, JobPlan p) throws Exception {
    if (config.since == null) {
      return null;
    }
    if (config.since.equals("last")) {
      String watermark = store.lastWatermark(config.job);
      if (watermark == null) {
        throw new SpecException(config.origin, "since.value", "'last' needs an earlier"
            + " successful run of job " + config.job + " that recorded a watermark");
      }
      return watermark;
    }
    Column column = p.sourceLayout().column(p.sourceLayout().indexOf(config.sinceColumn));
    try {
      Object value = Conversions.convert(config.since, kind(config, column));
      return KeyCodec.encode(new Object[] {value});
    } catch (ConversionException e) {
      throw new SpecException(config.origin, "since.value", e.getMessage());
    }
  }

  /** The watermark column's own kind; kinds a watermark cannot order by compare as text. */
  private static ValueKind kind(BackfillConfig config, Column c) {
    ValueKind kind = ColumnKinds.of(c, config.source.dialect());
    switch (kind) {
      case DATE:
      case TIMESTAMP:
      case TIMESTAMPTZ:
      case LONG:
      case DECIMAL:
        return kind;
      default:
        return ValueKind.TEXT;
    }
  }
}
