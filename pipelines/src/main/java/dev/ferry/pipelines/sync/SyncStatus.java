package dev.ferry.pipelines.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running sync tells people and schedulers: events per second and seconds behind the
 * source, printed every few seconds and written to a JSON status file (replaced atomically, so a
 * reader never sees half of it).
 */
final class SyncStatus {
  private static final Logger LOG = LoggerFactory.getLogger(SyncStatus.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String job;
  private final Path file;
  private long events;
  private long upserted;
  private long deleted;
  private long dead;
  private long newestSourceMillis;
  private boolean idle;
  private Map<String, ?> offset;
  private String state = "starting";
  private String message;
  private long lastReportEvents;
  private long lastReportNanos = System.nanoTime();

  SyncStatus(String job, String file) {
    this.job = job;
    this.file = file == null ? null : Path.of(file);
  }

  synchronized void applied(ChangeBatch batch, ChangeApplier.Applied applied) {
    events += batch.events;
    upserted += applied.upserted;
    deleted += applied.deleted;
    dead += applied.dead;
    if (batch.newestSourceMillis > 0) {
      newestSourceMillis = Math.max(newestSourceMillis, batch.newestSourceMillis);
    }
    // A batch without changes is a heartbeat: the source had nothing newer to send.
    idle = batch.events == 0;
    offset = batch.offset;
    state = "running";
  }

  synchronized void state(String state, String message) {
    this.state = state;
    this.message = message;
  }

  synchronized long deadLettered() {
    return dead;
  }

  /** Seconds between the newest applied change's commit at the source and now; 0 when idle. */
  synchronized double lagSeconds() {
    if (idle || newestSourceMillis == 0) {
      return 0;
    }
    return Math.max(0, (System.currentTimeMillis() - newestSourceMillis) / 1000.0);
  }

  /** Prints the status line and rewrites the status file. */
  synchronized void report() {
    long now = System.nanoTime();
    double seconds = Math.max(1e-9, (now - lastReportNanos) / 1e9);
    double rate = (events - lastReportEvents) / seconds;
    lastReportNanos = now;
    lastReportEvents = events;
    double lag = lagSeconds();
    LOG.info("sync {}: {} — {} events/s, {} s behind the source, {} applied ({} upserted, {}"
        + " deleted, {} dead letters)", job, state, String.format("%.0f", rate),
        String.format("%.1f", lag), events, upserted, deleted, dead);
    if (file == null) {
      return;
    }
    ObjectNode n = JSON.createObjectNode();
    n.put("job", job);
    n.put("state", state);
    n.put("eventsPerSecond", Math.round(rate * 10) / 10.0);
    n.put("lagSeconds", Math.round(lag * 10) / 10.0);
    n.put("eventsApplied", events);
    n.put("rowsUpserted", upserted);
    n.put("rowsDeleted", deleted);
    n.put("deadLetters", dead);
    n.set("position", JSON.valueToTree(offset));
    if (message != null) {
      n.put("message", message);
    }
    n.put("updatedAt", Instant.now().toString());
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("sync {}: cannot write the status file {}: {}", job, file, e.getMessage());
    }
  }
}
