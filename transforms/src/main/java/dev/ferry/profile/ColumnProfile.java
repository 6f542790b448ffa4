package dev.ferry.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.List;

/**
 * The profile of one column. Lengths are in bytes (text as UTF-8) and only present for columns
 * holding text or binary values (JSON included); {@code maxChars} counts characters, which is
 * what VARCHAR(n) limits. {@code distinct} is an estimate (HyperLogLog, standard error about
 * 0.8%, never above the non-NULL values) unless {@code distinctEstimated} is false, as for a
 * key that a unique constraint or the duplicate search proves unique; {@code type} is the type
 * as the source declares it where its catalog says so ({@code enum('new','paid')},
 * {@code tinyint(1)}), else as the driver describes it; min and
 * max compare in Java order (text by UTF-16 code unit, not by the database collation) and text
 * of 200 characters or more is shown as its first 200 followed by '…'. {@code lengths} counts
 * text and binary values by length in bins that double ({@code 0}, {@code 1}, {@code 2–3},
 * {@code 4–7}, …); {@code topValues} counts each value of a column that holds at most
 * {@value TopValues#MAX_VALUES} distinct values of at most {@value TopValues#MAX_CHARS}
 * characters, most frequent first, and is absent for other columns.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ColumnProfile implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String name;
  public final String type;
  public final long nulls;
  public final double nullRate;
  public final long distinct;
  public final boolean distinctEstimated;
  public final String min;
  public final String max;
  public final Long maxLength;
  public final Long p99Length;
  public final Long maxChars;
  public final Long totalBytes;
  public final Long largeValues;
  public final Boolean largeObjects;
  public final List<LengthBin> lengths;
  public final List<ValueCount> topValues;

  /** Values whose length in bytes is between {@code from} and {@code to}, both included. */
  public record LengthBin(long from, long to, long count) implements Serializable {}

  /** How many rows hold a value (as text). */
  public record ValueCount(String value, long count) implements Serializable {}

  public ColumnProfile(String name, String type, long nulls, double nullRate, long distinct,
      boolean distinctEstimated, String min, String max, Long maxLength, Long p99Length,
      Long maxChars, Long totalBytes, Long largeValues, Boolean largeObjects,
      List<LengthBin> lengths, List<ValueCount> topValues) {
    this.name = name;
    this.type = type;
    this.nulls = nulls;
    this.nullRate = nullRate;
    this.distinct = distinct;
    this.distinctEstimated = distinctEstimated;
    this.min = min;
    this.max = max;
    this.maxLength = maxLength;
    this.p99Length = p99Length;
    this.maxChars = maxChars;
    this.totalBytes = totalBytes;
    this.largeValues = largeValues;
    this.largeObjects = largeObjects;
    this.lengths = lengths == null ? null : List.copyOf(lengths);
    this.topValues = topValues == null ? null : List.copyOf(topValues);
  }

  /** This profile with the type as the source declares it. */
  ColumnProfile withDeclaredType(String declared) {
    return new ColumnProfile(name, declared, nulls, nullRate, distinct, distinctEstimated, min,
        max, maxLength, p99Length, maxChars, totalBytes, largeValues, largeObjects, lengths,
        topValues);
  }

  /** This profile with every non-NULL value known distinct (a key proven unique). */
  ColumnProfile allDistinct(long rows) {
    return new ColumnProfile(name, type, nulls, nullRate, rows - nulls, false, min, max,
        maxLength, p99Length, maxChars, totalBytes, largeValues, largeObjects, lengths, topValues);
  }
}
