package dev.ferry.pipelines.sync;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The change stream's own flags, shared by {@code ferry sync} / {@code ferry cutover} (one table)
 * and {@code ferry migrate --sync} / {@code --cutover} (a whole database).
 */
public interface SyncStreamOptions extends PipelineOptions {
  @Description("File the sync rewrites every few seconds with its lag, rate and position"
      + " (JSON), for schedulers.")
  String getStatusFile();

  void setStatusFile(String value);

  @Description("Seconds between status lines on the console and status file updates.")
  @Default.Integer(5)
  int getStatusIntervalSeconds();

  void setStatusIntervalSeconds(int value);

  @Description("Stop once every change the source had committed when sync started is applied"
      + " (what the cutover does); otherwise sync runs until stopped.")
  @Default.Boolean(false)
  boolean getUntilCaughtUp();

  void setUntilCaughtUp(boolean value);

  @Description("Replica server id for a MySQL/MariaDB source; must differ from every other"
      + " replica of that server. 0: derived from the job name.")
  @Default.Long(0)
  long getServerId();

  void setServerId(long value);

  @Description("Cutover: seconds to wait for the sync to catch up before giving up.")
  @Default.Integer(600)
  int getCatchUpTimeoutSeconds();

  void setCatchUpTimeoutSeconds(int value);
}
