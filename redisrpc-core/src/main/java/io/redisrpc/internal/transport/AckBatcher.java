package io.redisrpc.internal.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Acknowledges finished requests in as few commands as possible: while one acknowledgement is on
 * its way, those finishing meanwhile gather and leave together in the next. A lone acknowledgement
 * leaves at once, never waiting for company.
 */
final class AckBatcher {
  private static final int MAX_BATCH = 256;

  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final Function<List<String>, CompletionStage<?>> send;

  private record Pending(String entryId, CompletableFuture<Void> done) {}

  /** A batcher that sends each batch of entry ids with {@code send}. */
  AckBatcher(Function<List<String>, CompletionStage<?>> send) {
    this.send = send;
  }

  /** Acknowledges {@code entryId}; the future completes when Redis has done it (or failed). */
  CompletableFuture<Void> acknowledge(String entryId) {
    Pending pending = new Pending(entryId, new CompletableFuture<>());
    queue.add(pending);
    flush();
    return pending.done;
  }

  private void flush() {
    while (!queue.isEmpty() && sending.compareAndSet(false, true)) {
      List<Pending> batch = new ArrayList<>();
      Pending next;
      while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
        batch.add(next);
      }
      if (batch.isEmpty()) {
        sending.set(false);
        continue;
      }
      List<String> ids = new ArrayList<>(batch.size());
      for (Pending p : batch) {
        ids.add(p.entryId);
      }
      CompletionStage<?> sent;
      try {
        sent = send.apply(ids);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete(
          (ok, error) -> {
            for (Pending p : batch) {
              if (error != null) {
                p.done.completeExceptionally(error);
              } else {
                p.done.complete(null);
              }
            }
            sending.set(false);
            flush();
          });
      return;
    }
  }
}
