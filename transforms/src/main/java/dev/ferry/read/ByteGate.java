package dev.ferry.read;

/** Admits byte amounts up to a capacity; one amount of any size when the gate is empty. */
final class ByteGate {
  /**
   * Bytes of large values being fetched at once in this JVM: a quarter of the heap, at least
   * 64 MiB. A fetch larger than that still goes ahead when nothing else is being fetched.
   */
  static final ByteGate LARGE_VALUES = new ByteGate(
      Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4));

  private final long capacity;
  private long inUse;

  ByteGate(long capacity) {
    this.capacity = capacity;
  }

  synchronized void acquire(long bytes) throws InterruptedException {
    while (inUse > 0 && inUse + bytes > capacity) {
      wait();
    }
    inUse += bytes;
  }

  synchronized void release(long bytes) {
    inUse -= bytes;
    notifyAll();
  }
}
