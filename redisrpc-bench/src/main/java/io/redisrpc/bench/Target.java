package io.redisrpc.bench;

import java.util.concurrent.CompletableFuture;

/** One system variant the benchmark calls: an echo of a byte payload. */
interface Target {
  /** A short id for {@code --systems}, e.g. {@code redisrpc-msgpack-idem}. */
  String id();

  /** The {@code system} field of its results. */
  String system();

  /** The {@code codec} field of its results. */
  String codec();

  /** The {@code workload} field of its results. */
  String workload();

  /** Gets ready for {@code inFlight} concurrent callers (Redisson registers its workers here). */
  default void beforeWorkload(int inFlight) throws Exception {}

  /** Undoes {@link #beforeWorkload}, once no call is in flight. */
  default void afterWorkload() throws Exception {}

  /** Sends one echo of {@code payload}; the future completes with the echoed bytes. */
  CompletableFuture<byte[]> call(byte[] payload);
}
