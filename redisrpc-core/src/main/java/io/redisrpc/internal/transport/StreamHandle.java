package io.redisrpc.internal.transport;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** A stream a client opened, as its caller drives it. */
public interface StreamHandle {
  /**
   * Grants the server {@code total} items in all, counted from the start of the stream: totals, not
   * increments, so that a grant lost on its way is made good by the next.
   */
  void grant(long total);

  /**
   * Completes (with null) after the last item was received, or fails with the error ending the
   * stream; cancelling it cancels the call.
   */
  CompletableFuture<@Nullable Object> done();

  /** A stream that ends as {@code done} does, without ever receiving an item. */
  static StreamHandle ended(CompletableFuture<@Nullable Object> done) {
    return new StreamHandle() {
      @Override
      public void grant(long total) {
        // nothing to grant to
      }

      @Override
      public CompletableFuture<@Nullable Object> done() {
        return done;
      }
    };
  }
}
