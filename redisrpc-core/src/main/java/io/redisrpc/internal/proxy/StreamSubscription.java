package io.redisrpc.internal.proxy;

import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.dispatch.Errors;
import io.redisrpc.internal.transport.StreamHandle;
import io.redisrpc.internal.transport.StreamReceiver;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * One subscription to a remote stream, on the client: opens the call at the subscriber's first
 * request, grants the server credits as the subscriber asks for items (never more than {@link
 * #WINDOW} ahead of what it delivered), and delivers items, then the end or the error, on the
 * callback executor, one signal at a time. Cancelling it cancels the call.
 */
final class StreamSubscription implements Flow.Subscription, StreamReceiver {
  /**
   * The most items granted and not yet delivered: an unbounded subscriber still has the server wait
   * for it, so that neither the server nor this client buffers without bound.
   */
  static final long WINDOW = 128;

  private final Flow.Subscriber<? super @Nullable Object> subscriber;
  private final Executor callbacks;
  private final BiFunction<Long, StreamReceiver, StreamHandle> opener;
  private final Queue<@Nullable Object> items = new ConcurrentLinkedQueue<>();
  private final AtomicLong demand = new AtomicLong();
  private final AtomicInteger work = new AtomicInteger();

  // Guarded by this.
  private @Nullable StreamHandle handle;
  private long granted;
  private long received;

  private volatile boolean cancelled;
  private volatile boolean finished;
  private volatile @Nullable Throwable failure;
  private boolean signalledEnd;

  /**
   * A subscription of {@code subscriber}, delivering on {@code callbacks}; {@code opener} sends the
   * call with its first grant.
   */
  StreamSubscription(
      Flow.Subscriber<? super @Nullable Object> subscriber,
      Executor callbacks,
      BiFunction<Long, StreamReceiver, StreamHandle> opener) {
    this.subscriber = subscriber;
    this.callbacks = callbacks;
    this.opener = opener;
  }

  @Override
  public void request(long n) {
    if (cancelled) {
      return;
    }
    if (n <= 0) {
      // Reactive Streams rule 3.9.
      cancel();
      callbacks.execute(
          () ->
              subscriber.onError(
                  new IllegalArgumentException("request(" + n + "): it must be positive")));
      return;
    }
    demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
    StreamHandle opened = null;
    synchronized (this) {
      if (handle == null) {
        granted = want();
        // Opened under the lock: its items may come before it returns, and must find it.
        handle = opener.apply(granted, this);
        opened = handle;
      } else {
        grantMore();
      }
    }
    if (opened != null) {
      opened.done().whenComplete((ok, error) -> end(error));
    }
    drain();
  }

  @Override
  public void cancel() {
    cancelled = true;
    cancelCall();
    items.clear();
  }

  private void cancelCall() {
    StreamHandle h;
    synchronized (this) {
      h = handle;
    }
    if (h != null) {
      h.done().cancel(true);
    }
  }

  @Override
  public void onItem(@Nullable Object item) {
    if (item == null) {
      // Reactive Streams carry no null items (a null in the message, or an empty Optional).
      failure =
          new RpcException(
              StatusCode.INTERNAL, "The stream sent a null item, which a publisher cannot deliver");
      finished = true;
      cancelCall();
      drain();
      return;
    }
    items.add(item);
    synchronized (this) {
      received++;
      grantMore();
    }
    drain();
  }

  /** The call ended; an end already decided here (a null item) stands. */
  private void end(@Nullable Throwable error) {
    if (!finished) {
      failure = error;
      finished = true;
    }
    drain();
  }

  /** The items to have on their way: the demand not met by items here, at most the window. */
  private long want() {
    return Math.max(0, Math.min(demand.get() - items.size(), WINDOW));
  }

  /**
   * Grants more once at most half of what is wanted is still on its way; under the lock, after the
   * call was opened.
   */
  private void grantMore() {
    StreamHandle h = handle;
    if (h == null) {
      return;
    }
    long want = want();
    long onTheirWay = Math.max(0, granted - received);
    if (want > onTheirWay && onTheirWay <= want / 2) {
      granted = received + want;
      h.grant(granted);
    }
  }

  private void drain() {
    if (work.getAndIncrement() == 0) {
      callbacks.execute(this::deliver);
    }
  }

  private void deliver() {
    int missed = 1;
    do {
      while (!cancelled && demand.get() > 0) {
        Object item = items.poll();
        if (item == null) {
          break;
        }
        demand.decrementAndGet();
        subscriber.onNext(item);
      }
      if (!cancelled && !signalledEnd && finished && items.isEmpty()) {
        signalledEnd = true;
        Throwable error = failure;
        if (error == null) {
          subscriber.onComplete();
        } else if (!(error instanceof CancellationException)) {
          subscriber.onError(Errors.unwrap(error));
        }
      }
      synchronized (this) {
        grantMore();
      }
      missed = work.addAndGet(-missed);
    } while (missed != 0);
  }
}
