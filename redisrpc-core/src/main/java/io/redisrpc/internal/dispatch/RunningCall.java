package io.redisrpc.internal.dispatch;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A call whose handler runs on this server, so that its caller's cancellation can reach it: by
 * interrupting the handler's thread while the handler runs there, and by cancelling the future an
 * asynchronous handler returned.
 */
final class RunningCall {
  private final @Nullable Thread thread;
  private boolean onThread = true;
  private boolean cancelled;
  private @Nullable CompletableFuture<?> future;

  /**
   * A call whose handler runs on {@code thread}, or null for a thread that must never be
   * interrupted (the Redis I/O thread that read the request and runs a non-blocking handler).
   */
  RunningCall(@Nullable Thread thread) {
    this.thread = thread;
  }

  /** The handler returned: its thread goes back to the pool and must not be interrupted. */
  void leftHandlerThread() {
    synchronized (this) {
      onThread = false;
    }
    // A cancellation racing with the return may have interrupted us after the handler was done.
    if (thread != null && Thread.currentThread() == thread) {
      Thread.interrupted();
    }
  }

  /** The handler's result, cancelled at once if the call already was. */
  synchronized void running(CompletableFuture<?> result) {
    future = result;
    if (cancelled) {
      result.cancel(true);
    }
  }

  synchronized void cancel() {
    cancelled = true;
    if (onThread && thread != null) {
      thread.interrupt();
    }
    if (future != null) {
      future.cancel(true);
    }
  }
}
