package io.redisrpc.internal.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Sends items in as few commands as possible without ever holding one back: an item submitted while
 * no batch is on its way leaves at once, alone; items submitted while one is on its way gather and
 * leave together as soon as it is answered. No timer delays anything.
 *
 * @param <T> what is sent
 */
final class Batcher<T> {
  private final int maxBatch;
  private final int maxBytes;
  private final ToIntFunction<T> size;
  private final Function<List<T>, CompletionStage<?>> send;
  private final Runnable onIdle;
  private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

  private record Waiter(long target, CompletableFuture<Void> done) {}

  /**
   * A batcher sending at most {@code maxBatch} items at once with {@code send}, whose stage
   * completes when Redis has answered (however it did: outcomes are {@code send}'s business).
   */
  Batcher(int maxBatch, Function<List<T>, CompletionStage<?>> send) {
    this(maxBatch, Integer.MAX_VALUE, item -> 0, send, () -> {});
  }

  /**
   * A batcher whose batches also hold at most {@code maxBytes} by {@code size} (a larger item
   * leaves alone), calling {@code onIdle} each time a batch was answered and nothing else waits.
   */
  Batcher(
      int maxBatch,
      int maxBytes,
      ToIntFunction<T> size,
      Function<List<T>, CompletionStage<?>> send,
      Runnable onIdle) {
    this.maxBatch = maxBatch;
    this.maxBytes = maxBytes;
    this.size = size;
    this.send = send;
    this.onIdle = onIdle;
  }

  /** Sends {@code item}, now or with the next batch. */
  void submit(T item) {
    submitted.incrementAndGet();
    queue.add(item);
    flush();
  }

  /** Whether nothing is queued or on its way. */
  boolean isIdle() {
    return queue.isEmpty() && !sending.get();
  }

  /** Completes once every item submitted so far has been sent and answered. */
  CompletableFuture<Void> idle() {
    long target = submitted.get();
    if (answered.get() >= target) {
      return CompletableFuture.completedFuture(null);
    }
    Waiter waiter = new Waiter(target, new CompletableFuture<>());
    waiters.add(waiter);
    releaseWaiters();
    return waiter.done;
  }

  private void releaseWaiters() {
    long now = answered.get();
    for (Waiter w : waiters) {
      if (w.target <= now && waiters.remove(w)) {
        w.done.complete(null);
      }
    }
  }

  private void flush() {
    while (!queue.isEmpty() && sending.compareAndSet(false, true)) {
      List<T> batch = new ArrayList<>();
      long bytes = 0;
      T next;
      while (batch.size() < maxBatch && (next = queue.peek()) != null) {
        int itemBytes = size.applyAsInt(next);
        if (!batch.isEmpty() && bytes + itemBytes > maxBytes) {
          break; // the next batch takes it
        }
        // Only this thread takes from the queue (it holds the sending flag): peek, then poll.
        batch.add(queue.poll());
        bytes += itemBytes;
      }
      if (batch.isEmpty()) {
        sending.set(false);
        continue;
      }
      CompletionStage<?> sent;
      try {
        sent = send.apply(batch);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete(
          (ok, error) -> {
            answered.addAndGet(batch.size());
            sending.set(false);
            releaseWaiters();
            flush();
            if (isIdle()) {
              onIdle.run();
            }
          });
      return;
    }
  }
}
