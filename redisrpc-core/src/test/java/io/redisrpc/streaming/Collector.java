package io.redisrpc.streaming;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A caller's subscriber that requests {@code first} items at once and more only when told; it keeps
 * the items, and its end in {@link #end} (null for completion).
 */
public final class Collector<T> implements Flow.Subscriber<T> {
  private final long first;
  public final List<T> items = new CopyOnWriteArrayList<>();
  public final LinkedBlockingQueue<T> arrivals = new LinkedBlockingQueue<>();
  public final CompletableFuture<Throwable> end = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;

  public Collector(long first) {
    this.first = first;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(first);
  }

  @Override
  public void onNext(T item) {
    items.add(item);
    arrivals.add(item);
  }

  @Override
  public void onError(Throwable error) {
    end.complete(error);
  }

  @Override
  public void onComplete() {
    end.complete(null);
  }

  public void request(long n) {
    subscription.request(n);
  }

  public void cancel() {
    subscription.cancel();
  }

  /** The next item, waiting at most 10 s for it. */
  public T next() throws InterruptedException {
    T item = arrivals.poll(10, TimeUnit.SECONDS);
    if (item == null) {
      throw new AssertionError("no item in 10 s; got " + items + ", end " + end);
    }
    return item;
  }

  /** The end, waiting at most {@code seconds} for it: null for completion, else the error. */
  public Throwable awaitEnd(long seconds) throws Exception {
    return end.get(seconds, TimeUnit.SECONDS);
  }
}
