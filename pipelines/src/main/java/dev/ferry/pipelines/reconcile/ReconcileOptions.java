package dev.ferry.pipelines.reconcile;

import dev.ferry.pipelines.backfill.BackfillOptions;
import dev.ferry.reconcile.Reconcile;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Flags of the reconcile job: every flag and spec field of the backfill (the same spec describes
 * what was copied), plus how to compare and what to do about differences. Boolean flags default
 * to false, so a scheduler that drops false flags (Airflow) changes nothing.
 */
public interface ReconcileOptions extends BackfillOptions {
  @Description("Compare per-bucket checksums first (in SQL where both engines agree) and join"
      + " only rows of buckets that differ. For large, mostly equal tables.")
  @Default.Boolean(false)
  boolean getFastPath();

  void setFastPath(boolean value);

  @Description("Rows per checksum bucket on the fast path. Default 256.")
  @Default.Integer(256)
  int getBucketRows();

  void setBucketRows(int value);

  @Description("Fast path: ranges checksummed at once on each side, one connection each, so that"
      + " a large table's checksums use several cores of each server. Default 4.")
  @Default.Integer(4)
  int getChecksumConnections();

  void setChecksumConnections(int value);

  @Description("Fast path: when the buckets whose checksums differ hold fewer rows than this"
      + " (both sides together), join them in this process over JDBC instead of running a"
      + " pipeline, which costs more to start than such a join; 0 always runs the pipeline."
      + " Default 200000.")
  @Default.Long(Reconcile.ROWS_WORTH_DISTRIBUTING)
  long getJoinInLauncherBelow();

  void setJoinInLauncherBelow(long value);

  @Description("Instead of a full comparison, check N random source keys by point lookups and"
      + " report the error rate with a 95% confidence interval.")
  Integer getSample();

  void setSample(Integer value);

  @Description("Seed of the random sample; the same seed draws the same keys. Default 1.")
  @Default.Long(1)
  long getSampleSeed();

  void setSampleSeed(long value);

  @Description("Accepted share of differing keys (0.001 = 0.1%); above it the exit code is 4."
      + " Default 0.")
  @Default.Double(0)
  double getTolerance();

  void setTolerance(double value);

  @Description("Write the JSON report to this file.")
  String getReport();

  void setReport(String value);

  @Description("Write every differing key (JSON lines) to this file. Default: beside --report.")
  String getDifferencesFile();

  void setDifferencesFile(String value);

  @Description("Number of example keys per class, with their values, in the report. Default 10.")
  @Default.Integer(10)
  int getExamples();

  void setExamples(int value);

  @Description("Re-copy the differing keys from the source through the backfill's upsert.")
  @Default.Boolean(false)
  boolean getRepair();

  void setRepair(boolean value);

  @Description("Write the repair as SQL statements to this file, for review.")
  String getRepairSqlFile();

  void setRepairSqlFile(String value);

  @Description("Let a repair delete target rows: extra keys, and the copies of duplicated keys.")
  @Default.Boolean(false)
  boolean getDeleteExtras();

  void setDeleteExtras(boolean value);

  @Description("Target columns whose values are masked (***) in reports, comma-separated.")
  String getSensitiveColumns();

  void setSensitiveColumns(String value);

  @Description("Floats (real, double) are equal within this absolute difference. Default 0.")
  @Default.Double(0)
  double getFloatTolerance();

  void setFloatTolerance(double value);

  @Description("Fractional second digits compared in times and timestamps, 0 to 6. Default 6.")
  @Default.Integer(6)
  int getTimestampPrecision();

  void setTimestampPrecision(int value);

  @Description("Zone in which zone-less source timestamps were recorded, compared with a"
      + " target's instants. Default UTC (what the backfill assumes without a fromZone rule).")
  @Default.String("UTC")
  String getSourceZone();

  void setSourceZone(String value);

  @Description("Count the trailing spaces of CHAR(n) values as read (PostgreSQL pads char(n),"
      + " MySQL strips the padding). By default they do not count, as in both engines' own"
      + " comparisons.")
  @Default.Boolean(false)
  boolean getCompareCharPadding();

  void setCompareCharPadding(boolean value);
}
