package dev.ferry.runners.flink;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * Checks before anything else runs that the JobManager named by {@code --flinkMaster} accepts
 * TCP connections. Without it an unreachable cluster surfaces only when the job is submitted,
 * after planning, and after the Flink client's own retries (68 s here), as a stack of REST
 * client errors. {@code [local]}, {@code [auto]} and {@code [collection]} need no probe.
 */
final class FlinkMasterProbe {
  /** The JobManager's REST port when the address names none. */
  static final int DEFAULT_PORT = 8081;
  /** Long enough for a cluster across a WAN; a closed port answers at once anyway. */
  static final int TIMEOUT_MILLIS = 5_000;

  private FlinkMasterProbe() {}

  /** Why {@code master} cannot be reached, or null when it can (or is not a host). */
  static String problem(String master, int timeoutMillis) {
    if (master == null || master.isBlank() || master.startsWith("[")) {
      return null;
    }
    URI uri = URI.create(master.contains("://") ? master : "tcp://" + master);
    String host = uri.getHost();
    if (host == null) {
      return "--flinkMaster=" + master + ": not host:port (e.g. jobmanager:8081)";
    }
    int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      return null;
    } catch (IOException e) {
      return "--flinkMaster=" + master + ": the Flink JobManager at " + host + ":" + port
          + " cannot be reached (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is the cluster up and"
          + " is this its REST address (rest.port, default " + DEFAULT_PORT + ")?";
    }
  }
}
