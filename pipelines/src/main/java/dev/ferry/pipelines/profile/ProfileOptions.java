package dev.ferry.pipelines.profile;

import dev.ferry.pipelines.backfill.BackfillOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Flags of the profile job: the backfill's (the same spec profiles the source it would copy;
 * the target is optional and, when named, checked for values that will not fit) and these.
 */
public interface ProfileOptions extends BackfillOptions {
  @Description("Column that records when a row was created, for growth per day. Default: the"
      + " first date/timestamp column named like created_at, if any.")
  String getCreatedAtColumn();

  void setCreatedAtColumn(String value);

  @Description("Text (as UTF-8) or binary values longer than this many bytes are reported as"
      + " large. Default 1048576 (1 MiB).")
  @Default.Long(1 << 20)
  long getLargeValueBytes();

  void setLargeValueBytes(long value);

  @Description("Example keys kept per finding. Default 5.")
  @Default.Integer(5)
  int getExampleKeys();

  void setExampleKeys(int value);

  @Description("Read a PostgreSQL source through JDBC result sets even where COPY applies (COPY"
      + " is used for tables with a unique integer key; both give the same profile).")
  @Default.Boolean(false)
  boolean getReadByJdbc();

  void setReadByJdbc(boolean value);

  @Description("Write the profile as JSON to this file.")
  String getReport();

  void setReport(String value);
}
