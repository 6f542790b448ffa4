package dev.ferry.pipelines.fill;

import dev.ferry.pipelines.backfill.BackfillOptions;
import org.apache.beam.sdk.options.Description;

/**
 * Flags of the fill job: the backfill's (the source is the table to fill; the target defaults to
 * it), plus the columns to fill.
 */
public interface FillOptions extends BackfillOptions {
  @Description("Columns to fill where they are NULL, comma-separated; overrides fill.columns.")
  String getFillColumns();

  void setFillColumns(String value);
}
