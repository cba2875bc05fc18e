package io.redisrpc.internal.transport;

import org.jspecify.annotations.Nullable;

/** Receives the items of a stream a client opened, in order, one at a time. */
@FunctionalInterface
public interface StreamReceiver {
  /** The next item; on a Redis I/O thread, so it must not block. */
  void onItem(@Nullable Object item);
}
