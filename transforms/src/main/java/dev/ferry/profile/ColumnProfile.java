package dev.ferry.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;

/**
 * The profile of one column. Lengths are in bytes (text as UTF-8) and only present for columns
 * holding text or binary values (JSON included); {@code maxChars} counts characters, which is
 * what VARCHAR(n) limits. {@code distinct} is an estimate (standard error about 0.8%); min and
 * max compare in Java order (text by UTF-16 code unit, not by the database collation) and text
 * of 200 characters or more is shown as its first 200 followed by '…'.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ColumnProfile implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String name;
  public final String type;
  public final long nulls;
  public final double nullRate;
  public final long distinct;
  public final String min;
  public final String max;
  public final Long maxLength;
  public final Long p99Length;
  public final Long maxChars;
  public final Long totalBytes;
  public final Long largeValues;
  public final Boolean largeObjects;

  public ColumnProfile(String name, String type, long nulls, double nullRate, long distinct,
      String min, String max, Long maxLength, Long p99Length, Long maxChars, Long totalBytes,
      Long largeValues, Boolean largeObjects) {
    this.name = name;
    this.type = type;
    this.nulls = nulls;
    this.nullRate = nullRate;
    this.distinct = distinct;
    this.min = min;
    this.max = max;
    this.maxLength = maxLength;
    this.p99Length = p99Length;
    this.maxChars = maxChars;
    this.totalBytes = totalBytes;
    this.largeValues = largeValues;
    this.largeObjects = largeObjects;
  }
}
