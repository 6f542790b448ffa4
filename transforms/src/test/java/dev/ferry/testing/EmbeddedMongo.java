package dev.ferry.testing;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process MongoDB wire-protocol server for tests ({@code de.bwaldvogel:mongo-java-server}
 * with its in-memory backend), started once per JVM on a loopback port. It is not a real
 * {@code mongod}: it has no transactions, no {@code splitVector} and no {@code $bucketAuto}; ferry
 * uses none of them. Every test asks for a fresh database.
 */
public final class EmbeddedMongo {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static String base;

  private EmbeddedMongo() {}

  /** A {@code mongodb://} URL of a new, empty database on the shared server. */
  public static String newDatabaseUrl() {
    return server() + "/t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
  }

  private static synchronized String server() {
    if (base == null) {
      MongoServer server = new MongoServer(new MemoryBackend());
      server.bind("127.0.0.1", 0);
      InetSocketAddress address = server.getLocalAddress();
      Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
      base = "mongodb://127.0.0.1:" + address.getPort();
    }
    return base;
  }
}
