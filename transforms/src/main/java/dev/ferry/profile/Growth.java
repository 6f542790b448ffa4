package dev.ferry.profile;

import java.io.Serializable;

/**
 * How fast a table grows, from a created-at column: the rows created in the last 30 and 90 days
 * (up to the database's current time) and the same as rows per day.
 */
public final class Growth implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String column;
  public final long rowsLast30Days;
  public final long rowsLast90Days;
  public final double rowsPerDay30;
  public final double rowsPerDay90;

  public Growth(String column, long rowsLast30Days, long rowsLast90Days) {
    this.column = column;
    this.rowsLast30Days = rowsLast30Days;
    this.rowsLast90Days = rowsLast90Days;
    this.rowsPerDay30 = rowsLast30Days / 30.0;
    this.rowsPerDay90 = rowsLast90Days / 90.0;
  }
}
