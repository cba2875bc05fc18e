package io.redisrpc.internal.transport;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.redisrpc.Deadline;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.internal.codec.MethodCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The calls of one client that wait for a reply. Each leaves when it completes, whichever way
 * (reply, timeout, cancellation, failure to send), so nothing stays behind.
 */
final class PendingCalls {
  /**
   * One wheel for every client of the JVM: adding and cancelling a timeout is O(1) and takes no
   * lock, and most calls cancel theirs long before it fires. Deadlines fire within a tick (10 ms).
   */
  private static final HashedWheelTimer TIMERS =
      new HashedWheelTimer(
          r -> {
            Thread t = new Thread(r, "redisrpc-timeouts");
            t.setDaemon(true);
            return t;
          },
          10,
          TimeUnit.MILLISECONDS);

  private final ConcurrentHashMap<String, Pending> calls = new ConcurrentHashMap<>();

  static final class Pending {
    final MethodCodec codec;
    final CompletableFuture<@Nullable Object> future = new CompletableFuture<>();

    Pending(MethodCodec codec) {
      this.codec = codec;
    }
  }

  /** Registers call {@code id}, failing it with a deadline error when {@code deadline} passes. */
  Pending register(String id, MethodCodec codec, Deadline deadline, long timeoutMillis) {
    Pending pending = new Pending(codec);
    calls.put(id, pending);
    Timeout timer =
        TIMERS.newTimeout(
            expired ->
                pending.future.completeExceptionally(
                    new DeadlineExceededException(
                        codec.model().qualifiedName()
                            + " timed out after "
                            + timeoutMillis
                            + " ms without a reply")),
            Math.max(0, deadline.remaining().toNanos()),
            TimeUnit.NANOSECONDS);
    pending.future.whenComplete(
        (result, error) -> {
          calls.remove(id, pending);
          timer.cancel();
        });
    return pending;
  }

  /** The call waiting for {@code id}, or null. */
  @Nullable Pending get(String id) {
    return calls.get(id);
  }

  /** How many calls wait. */
  int size() {
    return calls.size();
  }

  /** Fails every waiting call with {@code error}. */
  void failAll(Throwable error) {
    for (Pending pending : calls.values()) {
      pending.future.completeExceptionally(error);
    }
  }
}
