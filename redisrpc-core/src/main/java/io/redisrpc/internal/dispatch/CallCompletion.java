package io.redisrpc.internal.dispatch;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The end of one call on the server, reached from two sides: its answer (the handler's outcome, or
 * the server's own when the deadline passes first) is sent once, whichever comes first; and its
 * slot is freed once the reply is out <em>and</em> the handler has returned, so that a handler
 * still running past its deadline keeps counting against the limit.
 */
final class CallCompletion {
  private final AtomicBoolean answered = new AtomicBoolean();
  private final AtomicInteger open;
  private final Runnable onEnd;

  /** A completion waiting for the reply and, if {@code handlerRuns}, the handler's return. */
  CallCompletion(boolean handlerRuns, Runnable onEnd) {
    this.open = new AtomicInteger(handlerRuns ? 2 : 1);
    this.onEnd = onEnd;
  }

  /** Claims the right to answer the call: true the first time only. */
  boolean claimAnswer() {
    return answered.compareAndSet(false, true);
  }

  /** The reply was delivered (or given up on) and acknowledged. */
  void replied() {
    part();
  }

  /** The handler returned, or its future completed or was cancelled. */
  void handlerReturned() {
    part();
  }

  private void part() {
    if (open.decrementAndGet() == 0) {
      onEnd.run();
    }
  }
}
