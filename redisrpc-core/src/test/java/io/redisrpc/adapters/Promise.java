package io.redisrpc.adapters;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The promise type of a made-up asynchronous library, standing in for RxJava's {@code Single} or
 * Kotlin's {@code Deferred}: redisrpc knows nothing of it, {@link PromiseAdapterFactory} teaches
 * it.
 */
public final class Promise<T> {
  final CompletableFuture<T> future;

  Promise(CompletableFuture<T> future) {
    this.future = future;
  }

  /** A promise kept with {@code value}. */
  public static <T> Promise<T> of(T value) {
    return new Promise<>(CompletableFuture.completedFuture(value));
  }

  /** The value, waiting at most {@code timeout}. */
  public T await(Duration timeout) throws Exception {
    return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
