package io.redisrpc.streaming;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A handler's publisher of the numbers 0, 1, 2, ... (up to {@code count}, or without end when
 * negative), each produced only when requested, failing with {@code failure} after {@code count}
 * items when it has one. It records how many items were requested of it and whether it was
 * cancelled. One subscriber.
 */
public final class Ticker implements Flow.Publisher<Integer> {
  private static final long SILENT = Long.MIN_VALUE;

  private final long count;
  private final RuntimeException failure;
  public final AtomicLong requested = new AtomicLong();
  public final CountDownLatch subscribed = new CountDownLatch(1);
  public final CountDownLatch cancelled = new CountDownLatch(1);

  /**
   * {@code count} items (none when 0, without end when negative), then the end or {@code failure}.
   */
  public Ticker(long count, RuntimeException failure) {
    this.count = count;
    this.failure = failure;
  }

  /** Nothing, ever, whatever is requested. */
  public static Ticker silent() {
    return new Ticker(SILENT, null);
  }

  /** Numbers without end. */
  public static Ticker endless() {
    return new Ticker(-1, null);
  }

  @Override
  public void subscribe(Flow.Subscriber<? super Integer> subscriber) {
    subscriber.onSubscribe(new Ticks(subscriber));
    subscribed.countDown();
  }

  private final class Ticks implements Flow.Subscription {
    private final Flow.Subscriber<? super Integer> subscriber;
    private long demand;
    private int next;
    private boolean emitting;
    private boolean done;

    Ticks(Flow.Subscriber<? super Integer> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      requested.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      if (count == SILENT) {
        return;
      }
      synchronized (this) {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        if (emitting) {
          return;
        }
        emitting = true;
      }
      while (true) {
        synchronized (this) {
          if (done || (demand == 0 && (count < 0 || next < count))) {
            emitting = false;
            return;
          }
          if (count >= 0 && next == count) {
            done = true;
          } else {
            demand--;
          }
        }
        if (done) {
          if (failure == null) {
            subscriber.onComplete();
          } else {
            subscriber.onError(failure);
          }
          return;
        }
        subscriber.onNext(next++);
      }
    }

    @Override
    public void cancel() {
      synchronized (this) {
        done = true;
      }
      cancelled.countDown();
    }
  }
}
