package dev.ferry.digest;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The tolerances of a comparison: how close two floats must be, to how many fractional digits
 * timestamps are compared, which zone zone-less source timestamps were recorded in, and whether
 * the padding of fixed-width CHAR columns counts. Everything else is compared exactly, by value.
 *
 * <p>Immutable; each {@code withX} validates its argument and returns a copy.
 */
public final class CanonicalRules implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Microseconds: the finest precision PostgreSQL and MySQL store. */
  public static final int MAX_TIMESTAMP_PRECISION = 6;

  private final double floatTolerance;
  private final int timestampPrecision;
  private final String sourceZone;
  private final boolean trimCharPadding;

  private CanonicalRules(double floatTolerance, int timestampPrecision, String sourceZone,
      boolean trimCharPadding) {
    this.floatTolerance = floatTolerance;
    this.timestampPrecision = timestampPrecision;
    this.sourceZone = sourceZone;
    this.trimCharPadding = trimCharPadding;
  }

  /**
   * Exact floats, microsecond timestamps, zone-less source timestamps in UTC, and CHAR(n)
   * padding that does not count, as in both engines' own comparisons: PostgreSQL pads a
   * {@code char(n)} value when it is read and ignores the padding when comparing, MySQL strips it.
   */
  public static CanonicalRules exact() {
    return new CanonicalRules(0, MAX_TIMESTAMP_PRECISION, "UTC", true);
  }

  /**
   * Floats (real, double) are equal when they differ by at most {@code tolerance} (absolute).
   * Zero compares exactly.
   */
  public CanonicalRules withFloatTolerance(double tolerance) {
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException(
          "float tolerance must be a finite number >= 0, got " + tolerance);
    }
    return new CanonicalRules(tolerance, timestampPrecision, sourceZone, trimCharPadding);
  }

  /** Fractional second digits compared (0 to 6); finer digits are truncated on both sides. */
  public CanonicalRules withTimestampPrecision(int digits) {
    if (digits < 0 || digits > MAX_TIMESTAMP_PRECISION) {
      throw new IllegalArgumentException("timestamp precision must be 0 to "
          + MAX_TIMESTAMP_PRECISION + " fractional digits, got " + digits);
    }
    return new CanonicalRules(floatTolerance, digits, sourceZone, trimCharPadding);
  }

  /** The zone a zone-less source timestamp is read in when the target holds an instant. */
  public CanonicalRules withSourceZone(String zone) {
    Objects.requireNonNull(zone, "zone");
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + zone + "': " + e.getMessage());
    }
    return new CanonicalRules(floatTolerance, timestampPrecision, zone, trimCharPadding);
  }

  /**
   * Whether trailing spaces of values in CHAR(n) columns (on either side) do not count (the
   * default); false compares them as read.
   */
  public CanonicalRules withCharPaddingTrimmed(boolean trim) {
    return new CanonicalRules(floatTolerance, timestampPrecision, sourceZone, trim);
  }

  public double floatTolerance() {
    return floatTolerance;
  }

  public int timestampPrecision() {
    return timestampPrecision;
  }

  public ZoneId sourceZone() {
    return ZoneId.of(sourceZone);
  }

  /** The source zone's fixed offset, or null when its offset changes (daylight saving). */
  public ZoneOffset fixedSourceOffset() {
    ZoneId zone = sourceZone();
    return zone.getRules().isFixedOffset() ? zone.getRules().getOffset(java.time.Instant.EPOCH)
        : null;
  }

  public boolean trimCharPadding() {
    return trimCharPadding;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CanonicalRules)) {
      return false;
    }
    CanonicalRules r = (CanonicalRules) o;
    return floatTolerance == r.floatTolerance && timestampPrecision == r.timestampPrecision
        && sourceZone.equals(r.sourceZone) && trimCharPadding == r.trimCharPadding;
  }

  @Override
  public int hashCode() {
    return Objects.hash(floatTolerance, timestampPrecision, sourceZone, trimCharPadding);
  }

  @Override
  public String toString() {
    return "floatTolerance=" + floatTolerance + ", timestampPrecision=" + timestampPrecision
        + ", sourceZone=" + sourceZone + ", trimCharPadding=" + trimCharPadding;
  }
}
