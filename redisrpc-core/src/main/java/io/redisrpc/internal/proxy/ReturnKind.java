package io.redisrpc.internal.proxy;

/** How an endpoint hands back its result. */
public enum ReturnKind {
  /** {@code T m(...)} or {@code void m(...)}: the caller blocks. */
  BLOCKING,
  /** {@code CompletableFuture<T> m(...)}. */
  COMPLETABLE_FUTURE,
  /** {@code CompletionStage<T> m(...)}. */
  COMPLETION_STAGE
}
