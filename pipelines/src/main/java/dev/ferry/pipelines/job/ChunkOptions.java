package dev.ferry.pipelines.job;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The flags that size and pace a copy, declared once for the jobs that copy rows (the backfill
 * and every job built on it, and the whole-database migrate, which runs the backfill per table).
 * No {@code @Default}s: a flag left unset takes the spec's value, then the default named here.
 */
public interface ChunkOptions extends PipelineOptions {
  @Description("Number of key ranges to plan (per table, for ferry migrate). Default 16.")
  Integer getPartitions();

  void setPartitions(Integer value);

  @Description("Rows per chunk (one write transaction and checkpoint). Default 1000; 10000"
      + " for the load of ferry migrate.")
  Integer getBatchSize();

  void setBatchSize(Integer value);

  @Description("Cap on rows read per second from the source, per worker JVM. Default 0: none.")
  Double getMaxRowsPerSecond();

  void setMaxRowsPerSecond(Double value);
}
