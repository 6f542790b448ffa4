package dev.ferry.pipelines.backfill;

import dev.ferry.pipelines.job.ChunkOptions;
import dev.ferry.pipelines.job.ConnectionOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Flags of the backfill job. Every spec field has a flag that overrides it, so schedulers
 * (Airflow, Dataflow templates) can pass everything as flags; a flag left unset takes the spec's
 * value, then the default named in its description. Passwords are never flags: name an
 * environment variable or a file instead.
 */
public interface BackfillOptions extends ConnectionOptions, ChunkOptions {
  @Description("Job spec (YAML). Flags override its fields.")
  String getSpec();

  void setSpec(String value);

  @Description("Job name; progress and dead letters are kept under it.")
  String getJob();

  void setJob(String value);

  @Description("Source table, optionally schema.table.")
  String getSourceTable();

  void setSourceTable(String value);

  @Description("Source query instead of a table (trusted input: it is run as written).")
  String getSourceQuery();

  void setSourceQuery(String value);

  @Description("Source key column(s), comma-separated.")
  String getSourceKey();

  void setSourceKey(String value);

  @Description("MongoDB source collection.")
  String getSourceCollection();

  void setSourceCollection(String value);

  @Description("MongoDB source filter (Extended JSON), e.g. {\"status\": \"open\"}.")
  String getSourceFilter();

  void setSourceFilter(String value);

  @Description("MongoDB source projection (Extended JSON).")
  String getSourceProjection();

  void setSourceProjection(String value);

  @Description("MongoDB source field paths read as columns, comma-separated (a.b for nested).")
  String getSourceFields();

  void setSourceFields(String value);

  @Description("MongoDB target collection. Default: the source collection's or table's name.")
  String getTargetCollection();

  void setTargetCollection(String value);

  @Description("MySQL zero dates: reject (dead-letter the row, default) or null.")
  String getZeroDates();

  void setZeroDates(String value);

  @Description("Seconds a JDBC connection may take to open: TCP connect, the server's greeting,"
      + " login and session setup, on both sides (default 30). A server that does not answer"
      + " in time fails the attempt, which is retried like a restart.")
  Integer getConnectTimeoutSeconds();

  void setConnectTimeoutSeconds(Integer value);

  @Description("Seconds an open JDBC connection may wait for one answer from the server, on"
      + " both sides; 0 (default): no limit, since one statement may legitimately work for hours"
      + " without sending anything (TCP keepalive still detects a peer that is gone).")
  Integer getSocketTimeoutSeconds();

  void setSocketTimeoutSeconds(Integer value);

  @Description("Target table, optionally schema.table. Default: the source table's name.")
  String getTargetTable();

  void setTargetTable(String value);

  @Description("Target key column(s) for the upsert. Default: the mapped source key.")
  String getTargetKey();

  void setTargetKey(String value);

  @Description("Schema for ferry's state tables in the target (created when missing)."
      + " Default: the connection's.")
  String getStateSchema();

  void setStateSchema(String value);

  @Description("Create the target table when it does not exist, from the source table's columns"
      + " as the mapping leaves them, typed as ferry migrate types them (MySQL / MariaDB to"
      + " PostgreSQL).")
  @Default.Boolean(false)
  boolean getCreateTarget();

  void setCreateTarget(boolean value);

  @Description("Target column names: preserve (as the mapping gives them, default), lower"
      + " (UnitPrice -> unitprice) or snake (UnitPrice -> unit_price); also the default target"
      + " table name.")
  String getNaming();

  void setNaming(String value);

  @Description("Mapping file (YAML); replaces the spec's mapping.")
  String getMappingFile();

  void setMappingFile(String value);

  @Description("Exit non-zero when more rows than this were dead-lettered. Default 0.")
  Long getMaxDeadLetters();

  void setMaxDeadLetters(Long value);

  @Description("Incremental catch-up column (e.g. updated_at).")
  String getSinceColumn();

  void setSinceColumn(String value);

  @Description("Catch-up start: 'last' (the previous successful run's watermark) or a value.")
  String getSince();

  void setSince(String value);

  @Description("Seconds the catch-up watermark is set back before the oldest transaction open on"
      + " the source (or before the present when ferry cannot see other sessions' transactions),"
      + " so rows committed late by a long transaction are still caught up (default 60).")
  Integer getSinceMarginSeconds();

  void setSinceMarginSeconds(Integer value);

  @Description("Also write this run's dead letters to a JSONL file.")
  String getDeadLetterFile();

  void setDeadLetterFile(String value);

  @Description("Write the run summary as JSON to this file.")
  String getSummaryFile();

  void setSummaryFile(String value);

  @Description("Forget saved progress of this job and copy everything again.")
  @Default.Boolean(false)
  boolean getRestart();

  void setRestart(boolean value);

  @Description("Seconds between progress lines on the console.")
  @Default.Integer(10)
  int getProgressIntervalSeconds();

  void setProgressIntervalSeconds(int value);
}
