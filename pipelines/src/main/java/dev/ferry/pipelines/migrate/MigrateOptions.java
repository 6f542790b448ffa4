package dev.ferry.pipelines.migrate;

import dev.ferry.pipelines.job.ChunkOptions;
import dev.ferry.pipelines.job.ConnectionOptions;
import dev.ferry.pipelines.sync.SyncStreamOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Flags of {@code ferry plan} and {@code ferry migrate}: a whole MySQL / MariaDB database to
 * PostgreSQL. The connection flags have the same names as the backfill's, and each table is copied
 * by the backfill job with these options, so runner flags ({@code --runner}, {@code
 * --targetParallelism}, ...) reach every table's pipeline. Passwords are never flags: name an
 * environment variable or a file. Boolean flags default to false (Airflow drops false flags).
 * With {@code --sync} the change stream's flags ({@link SyncStreamOptions}) apply too.
 */
public interface MigrateOptions extends ConnectionOptions, ChunkOptions, SyncStreamOptions {
  @Description("PostgreSQL schema to create the tables in (created if missing), spelled by"
      + " --naming unless written in double quotes. Default: the connection's search_path.")
  String getTargetSchema();

  void setTargetSchema(String value);

  @Description("Schema for ferry's state tables (ferry_migration, ferry_progress,"
      + " ferry_dead_letter, ferry_runs), created when missing, apart from the application's"
      + " tables. Default: ferry.")
  String getStateSchema();

  void setStateSchema(String value);

  @Description("Only these tables, comma-separated, exact names. Default: every base table.")
  String getTables();

  void setTables(String value);

  @Description("Leave out these tables, comma-separated, exact names.")
  String getExclude();

  void setExclude(String value);

  @Description("PostgreSQL type for DATETIME: timestamp (wall time kept, default) or timestamptz"
      + " (read as --sourceZone).")
  @Default.String("timestamp")
  String getDatetimeAs();

  void setDatetimeAs(String value);

  @Description("Zone the source's DATETIME values were written in, e.g. Europe/Berlin."
      + " Default UTC.")
  @Default.String("UTC")
  String getSourceZone();

  void setSourceZone(String value);

  @Description("ENUM columns: check (text with a CHECK of the labels, default) or type (a"
      + " PostgreSQL enum type per column).")
  @Default.String("check")
  String getEnumAs();

  void setEnumAs(String value);

  @Description("PostgreSQL names: lower (InvoiceLine -> invoiceline, default, as pgloader),"
      + " snake (InvoiceLine -> invoice_line, HTTPStatus -> http_status) or preserve (exactly as"
      + " the source, quoted in every query).")
  // No @Default: the backfill's --naming (default preserve) shares the property, and Beam wants
  // the same @Default on every interface that declares it.
  String getNaming();

  void setNaming(String value);

  @Description("Your type-mapping rules (YAML), tried before ferry's defaults; see"
      + " src/site/markdown/type-mapping.md.")
  String getRulesFile();

  void setRulesFile(String value);

  @Description("Directory of the per-table mapping files and of not-migrated.sql (the triggers,"
      + " routines and views left for you to port). Default: ferry-mappings/<source database>"
      + " under the working directory.")
  String getMappingsDir();

  void setMappingsDir(String value);

  @Description("Copy these tables again from the start (comma-separated), e.g. after fixing"
      + " source rows that were dead-lettered. Other finished tables are kept.")
  String getReload();

  void setReload(String value);

  @Description("Emulate MySQL's ON UPDATE CURRENT_TIMESTAMP with a PostgreSQL BEFORE UPDATE"
      + " trigger per table, created after the load. Default true; --onUpdateTriggers=false"
      + " leaves the columns to the application.")
  // A Boolean without @Default: absent means true, and Airflow, which drops false flags, can
  // still pass the text false.
  Boolean getOnUpdateTriggers();

  void setOnUpdateTriggers(Boolean value);

  @Description("Rewrite every mapping file, also those you edited.")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);

  @Description("Only print the plan and write the mapping files; change nothing in the target.")
  @Default.Boolean(false)
  boolean getPlanOnly();

  void setPlanOnly(boolean value);

  @Description("Dead-lettered rows a table may have before the migration stops. Default 0.")
  Long getMaxDeadLetters();

  void setMaxDeadLetters(Long value);

  @Description("Also write the migration summary as JSON to this file.")
  String getReportFile();

  void setReportFile(String value);

  @Description("Large tables (of more than one key range) loaded, and then checked, at the same"
      + " time, in one pipeline; small tables join them, ten tables to a pipeline. Default 4.")
  @Default.Integer(4)
  int getParallelTables();

  void setParallelTables(int value);

  @Description("Zero downtime: take the source's change-stream position (binary log, row"
      + " format) before the first table is read, migrate, then stream every table's inserts,"
      + " updates and deletes into the target until stopped (or caught up, with"
      + " --untilCaughtUp). Running it again resumes the migration, then the stream. Tables are"
      + " checked by --cutover, not now: the source keeps changing until then.")
  @Default.Boolean(false)
  boolean getSync();

  void setSync(boolean value);

  @Description("Once the application's writes are stopped (and ferry migrate --sync stopped):"
      + " apply the rest of the stream, reconcile every table (fast path), restart every"
      + " table's sequences past the source's ids and print the verdict with a checklist.")
  @Default.Boolean(false)
  boolean getCutover();

  void setCutover(boolean value);
}
