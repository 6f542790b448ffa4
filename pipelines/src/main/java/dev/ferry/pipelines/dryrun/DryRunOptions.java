package dev.ferry.pipelines.dryrun;

import dev.ferry.pipelines.backfill.BackfillOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Flags of the dry run: the backfill's (the same spec) and these. */
public interface DryRunOptions extends BackfillOptions {
  @Description("Share of the planned key ranges to copy, in percent (0 < p <= 100). Default 1.")
  @Default.Double(1.0)
  double getSamplePercent();

  void setSamplePercent(double value);

  @Description("Write the sample into a copy of the target table in this schema (created if"
      + " missing; MySQL: a database) instead of the target table itself.")
  String getScratchSchema();

  void setScratchSchema(String value);

  @Description("Months ahead for the target size at the measured growth. Default 12.")
  @Default.Integer(12)
  int getMonths();

  void setMonths(int value);

  @Description("Column that records when a row was created, for growth per day. Default: the"
      + " first date/timestamp column named like created_at, if any.")
  String getCreatedAtColumn();

  void setCreatedAtColumn(String value);

  @Description("Write the report as JSON to this file.")
  String getReport();

  void setReport(String value);
}
