package dev.ferry.pipelines.migrate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Runs one step of a migration (a table's load, a table's check) for many tables at once, at
 * most {@code concurrency} at a time, the largest tables first so that the longest one does not
 * start last and run alone. A database of many small tables then pays each table's fixed cost
 * (planning its ranges, starting its pipeline, its state writes) {@code concurrency} at a time,
 * while the databases wait on each other's I/O, not one after another.
 *
 * <p>After the first failure no further table starts; the tables already running finish (their
 * state is recorded, so a re-run does not repeat them), then the first failure is thrown.
 */
final class ParallelTables {
  /** One unit's step; throws to stop the run (a {@link TableFailure} names the table). */
  interface Step<T> {
    void run(T unit) throws Exception;
  }

  private final int concurrency;

  ParallelTables(int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("parallel tables must be at least 1, got "
          + concurrency);
    }
    this.concurrency = concurrency;
  }

  /** Runs {@code step} for every table; returns when all started ones are done. */
  void run(List<TableTask> tables, String what, Step<TableTask> step) throws Exception {
    run(tables, t -> t.rows().value(), t -> 1, what, step);
  }

  /**
   * Runs {@code step} for every unit (a table, or a batch of tables), largest {@code rows}
   * first, each taking {@code weight} of the {@code concurrency} slots (at most all of them);
   * returns when all started ones are done. Units start in that order: a heavy one waits for
   * its slots and the lighter ones behind it wait with it.
   */
  <T> void run(List<T> units, ToLongFunction<T> rows, ToIntFunction<T> weight, String what,
      Step<T> step) throws Exception {
    if (units.isEmpty()) {
      return;
    }
    List<T> order = new ArrayList<>(units);
    order.sort(Comparator.comparingLong(rows).reversed());
    int threads = Math.min(concurrency, order.size());
    AtomicReference<Exception> first = new AtomicReference<>();
    AtomicInteger number = new AtomicInteger();
    Semaphore slots = new Semaphore(concurrency, true);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "ferry-" + what + "-" + number.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (T unit : order) {
        running.add(pool.submit(() -> {
          int taken = Math.min(concurrency, Math.max(1, weight.applyAsInt(unit)));
          slots.acquire(taken);
          try {
            if (first.get() == null) {
              step.run(unit);
            }
          } catch (Exception e) {
            first.compareAndSet(null, e);
          } finally {
            slots.release(taken);
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          first.compareAndSet(null, new IllegalStateException(e.getCause()));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    if (first.get() != null) {
      throw first.get();
    }
  }
}
