package io.redisrpc.internal.transport;

import io.netty.util.Timeout;
import io.redisrpc.Deadline;
import io.redisrpc.DeadlineExceededException;
import io.redisrpc.EventListener;
import io.redisrpc.RpcCall;
import io.redisrpc.internal.Timers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The calls of one client that wait for a reply, in either protocol. Each leaves when it completes,
 * whichever way (reply, timeout, cancellation, failure to send), and it leaves <em>before</em> its
 * caller wakes: a caller that got its result never sees its own call still counted.
 *
 * @param <M> what the client knows of each call's method (how to decode its reply)
 */
public final class PendingCalls<M> {
  private final ConcurrentHashMap<String, Pending> calls = new ConcurrentHashMap<>();

  /** One waiting call. Complete it only through {@link #succeed} and {@link #fail}. */
  public final class Pending {
    /** The call's id. */
    public final String id;

    /** The call's method. */
    public final M method;

    /** The call's deadline. */
    public final Deadline deadline;

    /**
     * What the caller waits on. Completing it directly (the caller cancelling it) still removes the
     * call, synchronously, before {@code cancel} returns.
     */
    public final CompletableFuture<@Nullable Object> future = new CompletableFuture<>();

    private volatile @Nullable Timeout timer;

    /** Who hears of the call's phases; {@link EventListener#NONE} unless one was set. */
    public volatile EventListener listener = EventListener.NONE;

    /** The call as it was sent, for {@link #listener}; null when it has none. */
    public volatile @Nullable RpcCall call;

    /** Where the messages of a stream go; null for a call of one result. */
    volatile @Nullable ClientStream stream;

    Pending(String id, M method, Deadline deadline) {
      this.id = id;
      this.method = method;
      this.deadline = deadline;
    }

    /** Completes the call with {@code value}, after it has left the pending calls. */
    public boolean succeed(@Nullable Object value) {
      leave();
      return future.complete(value);
    }

    /** Fails the call with {@code error}, after it has left the pending calls. */
    public boolean fail(Throwable error) {
      leave();
      return future.completeExceptionally(error);
    }

    private void leave() {
      calls.remove(id, this);
      Timeout t = timer;
      if (t != null) {
        t.cancel();
      }
    }
  }

  /**
   * Registers call {@code id} of {@code method}, named {@code qualifiedName} in messages, failing
   * it with a deadline error when {@code deadline} passes.
   */
  public Pending register(
      String id, M method, String qualifiedName, Deadline deadline, long timeoutMillis) {
    Pending pending = new Pending(id, method, deadline);
    calls.put(id, pending);
    pending.timer =
        Timers.schedule(
            expired ->
                pending.fail(
                    new DeadlineExceededException(
                        qualifiedName
                            + " timed out after "
                            + timeoutMillis
                            + " ms without a reply")),
            Math.max(0, deadline.remaining().toNanos()),
            TimeUnit.NANOSECONDS);
    // A caller cancelling the future completes it without us: leave then too.
    pending.future.whenComplete((result, error) -> pending.leave());
    return pending;
  }

  /** The call waiting for {@code id}, or null. */
  public @Nullable Pending get(String id) {
    return calls.get(id);
  }

  /** Whether no call waits. */
  public boolean isEmpty() {
    return calls.isEmpty();
  }

  /** How many calls wait. */
  public int size() {
    return calls.size();
  }

  /** Fails every waiting call with {@code error}. */
  public void failAll(Throwable error) {
    for (Pending pending : calls.values()) {
      pending.fail(error);
    }
  }
}
