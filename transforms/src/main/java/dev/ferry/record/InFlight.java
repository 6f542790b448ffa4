package dev.ferry.record;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of chunks that were read and are not written yet, JVM-wide: the reader's backpressure on
 * runners that do not pass a chunk straight from the reader to the writer. The DirectRunner runs
 * each step on its own bundles, so without it a fast reader can queue much of a table in memory
 * ahead of a slower writer.
 *
 * <p>A reader {@link #track}s each chunk it emits; the writer {@link Ticket#release}s it once the
 * chunk is committed. A chunk that no writer ever sees (a pipeline that only reads, a chunk
 * copied by a coder) is released when it is garbage-collected, so nothing can stay counted
 * forever.
 */
public final class InFlight {
  /** The one account of this JVM. */
  public static final InFlight JVM = new InFlight();
  private static final Cleaner CLEANER = Cleaner.create();

  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong releases = new AtomicLong();

  private InFlight() {}

  /** Counts {@code n} bytes until the returned ticket is released or unreachable. */
  public Ticket track(long n) {
    bytes.addAndGet(n);
    Ticket ticket = new Ticket();
    ticket.cleanable = CLEANER.register(ticket, new Release(n, bytes, releases));
    return ticket;
  }

  /** Bytes counted now. */
  public long bytes() {
    return bytes.get();
  }

  /** How many tickets were released so far: progress, for a reader that waits. */
  public long releases() {
    return releases.get();
  }

  /** One chunk's bytes; released at most once. */
  public static final class Ticket {
    private Cleaner.Cleanable cleanable;

    private Ticket() {}

    public void release() {
      cleanable.clean();
    }
  }

  private static final class Release implements Runnable {
    private final long n;
    private final AtomicLong bytes;
    private final AtomicLong releases;

    Release(long n, AtomicLong bytes, AtomicLong releases) {
      this.n = n;
      this.bytes = bytes;
      this.releases = releases;
    }

    @Override
    public void run() {
      bytes.addAndGet(-n);
      releases.incrementAndGet();
    }
  }
}
