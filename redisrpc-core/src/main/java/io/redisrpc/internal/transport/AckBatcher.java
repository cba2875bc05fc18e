package io.redisrpc.internal.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Acknowledges finished requests in as few commands as possible: while one acknowledgement is on
 * its way, those finishing meanwhile gather and leave together in the next ({@link Batcher}).
 */
final class AckBatcher {
  private static final int MAX_BATCH = 256;

  private final Batcher<Pending> batcher;

  private record Pending(String entryId, CompletableFuture<Void> done) {}

  /** A batcher that sends each batch of entry ids with {@code send}. */
  AckBatcher(Function<List<String>, CompletionStage<?>> send) {
    this.batcher =
        new Batcher<>(
            MAX_BATCH,
            batch -> {
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
              return sent.whenComplete(
                  (ok, error) -> {
                    for (Pending p : batch) {
                      if (error != null) {
                        p.done.completeExceptionally(error);
                      } else {
                        p.done.complete(null);
                      }
                    }
                  });
            });
  }

  /** Acknowledges {@code entryId}; the future completes when Redis has done it (or failed). */
  CompletableFuture<Void> acknowledge(String entryId) {
    Pending pending = new Pending(entryId, new CompletableFuture<>());
    batcher.submit(pending);
    return pending.done;
  }

  /**
   * Completes once every acknowledgement asked for so far has been sent and answered (or failed).
   */
  CompletableFuture<Void> idle() {
    return batcher.idle();
  }
}
