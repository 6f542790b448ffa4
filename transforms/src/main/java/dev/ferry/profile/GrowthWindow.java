package dev.ferry.profile;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * The last 30 and 90 days by the database's clock, read once when a profile starts
 * ({@link TableCatalog#growthWindow}), so that the profile counts a table's growth in the scan
 * it makes anyway instead of reading the table a second time. A created-at value is placed as the
 * database compares it with {@code CURRENT_TIMESTAMP - INTERVAL 'n days'}: a timestamp with a
 * zone by its instant, a zone-less timestamp by the session's local time, and a date as its
 * midnight in local time. Values after the database's current time count in neither window.
 */
public record GrowthWindow(String column, Instant since90, Instant since30, Instant now,
    LocalDateTime localSince90, LocalDateTime localSince30, LocalDateTime localNow)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where {@link #place} puts a value. */
  enum Age { LAST_30_DAYS, LAST_90_DAYS, OLDER_OR_FUTURE }

  /** The window a non-NULL created-at value falls in. */
  Age place(Object v) {
    if (v instanceof OffsetDateTime) {
      Instant t = ((OffsetDateTime) v).toInstant();
      return place(t.compareTo(since90), t.compareTo(since30), t.compareTo(now));
    }
    LocalDateTime t = v instanceof LocalDateTime ? (LocalDateTime) v
        : v instanceof LocalDate ? ((LocalDate) v).atStartOfDay() : null;
    if (t == null) {
      return Age.OLDER_OR_FUTURE;
    }
    return place(t.compareTo(localSince90), t.compareTo(localSince30), t.compareTo(localNow));
  }

  private static Age place(int to90, int to30, int toNow) {
    if (to90 < 0 || toNow > 0) {
      return Age.OLDER_OR_FUTURE;
    }
    return to30 < 0 ? Age.LAST_90_DAYS : Age.LAST_30_DAYS;
  }
}
