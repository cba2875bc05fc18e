package io.redisrpc.internal.transport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits that end by a point in time, for the steps of a withdrawal that may find Redis silent. */
final class BoundedWait {
  private BoundedWait() {}

  /**
   * Waits for {@code step} until {@code untilNanos} ({@link System#nanoTime()}) at most. Returns
   * false when it did not end in time (Redis does not answer); a step that failed counts as ended.
   */
  static boolean until(CompletionStage<?> step, long untilNanos) {
    try {
      step.toCompletableFuture()
          .get(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException | RuntimeException e) {
      return true;
    }
  }

  /** Waits for {@code future} until {@code untilNanos}; true only when it completed normally. */
  static boolean succeeded(CompletableFuture<?> future, long untilNanos) {
    try {
      future.get(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /** {@code millis} from now, as a {@link System#nanoTime()} value. */
  static long inMillis(long millis) {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
