package dev.ferry.reconcile;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The same question put to both databases at once, each in a daemon thread of its own: what the
 * launcher asks both sides (what SQL they can run, their bucket checksums) costs the slower
 * side's time, not the sum. A failure comes back from {@link #source()} or {@link #target()} as
 * the exception the task threw.
 */
public final class BothSides<T> {
  /** Work on one side. */
  public interface Task<T> {
    T run() throws SQLException;
  }

  private final String what;
  private final Future<T> source;
  private final Future<T> target;

  private BothSides(String what, Future<T> source, Future<T> target) {
    this.what = what;
    this.source = source;
    this.target = target;
  }

  /** Starts both tasks; {@code what} names them in thread names and errors. */
  public static <T> BothSides<T> start(String what, Task<T> source, Task<T> target) {
    return new BothSides<>(what, run(what, "source", source), run(what, "target", target));
  }

  private static <T> Future<T> run(String what, String side, Task<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(task.run());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "ferry-" + side + "-" + what.replace(' ', '-'));
    t.setDaemon(true);
    t.start();
    return result;
  }

  /** The source's answer, once it is there. */
  public T source() throws SQLException {
    return await(source);
  }

  /** The target's answer, once it is there. */
  public T target() throws SQLException {
    return await(target);
  }

  private T await(Future<T> side) throws SQLException {
    try {
      return side.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for " + what, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException) {
        throw (SQLException) e.getCause();
      }
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    }
  }
}
