package dev.ferry.pipelines.reconcile;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Wall time and the process's CPU time since a phase began, for the phase lines of the log: on a
 * shared machine the wall time alone says little about what a phase costs.
 */
final class Elapsed {
  private final long wallStart = System.nanoTime();
  private final long cpuStart = processCpuNanos();

  static Elapsed start() {
    return new Elapsed();
  }

  @Override
  public String toString() {
    String wall = String.format("%.1f s", (System.nanoTime() - wallStart) / 1e9);
    long cpu = processCpuNanos();
    return cpu < 0 ? wall : wall + String.format(" (CPU %.1f s)", (cpu - cpuStart) / 1e9);
  }

  /** Since the JVM started: what start-up cost before the first phase. */
  static String sinceJvmStart() {
    return String.format("%.1f s", ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
  }

  private static long processCpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
  }
}
