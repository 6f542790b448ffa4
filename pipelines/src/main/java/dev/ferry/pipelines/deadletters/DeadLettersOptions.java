package dev.ferry.pipelines.deadletters;

import dev.ferry.pipelines.backfill.BackfillOptions;
import org.apache.beam.sdk.options.Description;

/** Flags of {@code ferry deadletters list|retry|accept}: the backfill's (the same spec) and these. */
public interface DeadLettersOptions extends BackfillOptions {
  @Description("Dead letters to retry or accept, by row key as listed: a JSON object such as"
      + " {\"id\":42}, or a JSON array of them. Default for retry: all open ones.")
  String getKey();

  void setKey(String value);

  @Description("accept: every open dead letter of the job.")
  boolean getAll();

  void setAll(boolean value);

  @Description("accept: why the rows may stay out of the target; recorded with them.")
  String getNote();

  void setNote(String value);

  @Description("list: print the dead letters as JSON lines instead of a table.")
  boolean getJson();

  void setJson(boolean value);

  @Description("Write what the command did as JSON to this file.")
  String getReport();

  void setReport(String value);
}
