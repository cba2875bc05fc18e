package io.redisrpc.internal.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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
  private volatile @Nullable CompletableFuture<Void> lastSent;

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

  /**
   * Completes once every acknowledgement asked for so far has been sent and answered (or failed).
   */
  CompletableFuture<Void> idle() {
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    for (Pending p : queue) {
      waiting.add(p.done);
    }
    CompletableFuture<Void> last = lastSent;
    if (last != null) {
      waiting.add(last);
    }
    return CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null);
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
      CompletableFuture<Void> batchDone = new CompletableFuture<>();
      lastSent = batchDone;
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
            batchDone.complete(null);
            flush();
          });
      return;
    }
  }
}
