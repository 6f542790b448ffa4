package dev.ferry.pipelines.sync;

import dev.ferry.pipelines.backfill.BackfillOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Flags of {@code ferry sync} and {@code ferry cutover}: the backfill's job spec and flags (the
 * same source, target, mapping and state schema) plus the change stream's own.
 */
public interface SyncOptions extends BackfillOptions, SyncStreamOptions {
  @Description("Record the source's change-stream position in the target's state schema and"
      + " exit. Run it before the backfill: sync later applies every change from there.")
  @Default.Boolean(false)
  boolean getPrepare();

  void setPrepare(boolean value);
}
