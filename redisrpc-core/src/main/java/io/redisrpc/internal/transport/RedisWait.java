package io.redisrpc.internal.transport;

import io.redisrpc.NotConnectedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for Redis' answers on behalf of a caller that blocks (tools reading the registry or the
 * dead letters): at most a timeout, failing with {@link NotConnectedException} that says what was
 * being done.
 */
final class RedisWait {
  private final Duration timeout;
  private final String doing;

  /** Waits of at most {@code timeout}; a failure says "Cannot {@code doing}: ...". */
  RedisWait(Duration timeout, String doing) {
    this.timeout = timeout;
    this.doing = doing;
  }

  /** The answer of {@code future}. */
  <T> T await(CompletionStage<T> future) {
    CompletableFuture<T> f = future.toCompletableFuture();
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotConnectedException("Interrupted while waiting to " + doing, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new NotConnectedException("Cannot " + doing + ": " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new NotConnectedException(
          "Redis did not answer within " + timeout.toMillis() + " ms", e);
    }
  }
}
