package io.redisrpc.internal.connection;

import java.util.concurrent.CompletableFuture;

/**
 * The channels every client and server of a root listens on, over as few connections as the
 * topology allows: one classic pub/sub connection for a node or a Sentinel set, one sharded pub/sub
 * connection per primary that owns a subscribed channel's slot in a cluster. Several subscribers
 * may share a channel.
 */
public interface Subscriptions extends AutoCloseable {
  /**
   * Adds {@code subscriber} to {@code channel}; completes once Redis confirmed the subscription,
   * and fails when Redis cannot be reached.
   */
  CompletableFuture<Void> subscribe(String channel, Subscriber subscriber);

  /** Removes {@code subscriber}; the channel is left once it has no subscriber. */
  void unsubscribe(String channel, Subscriber subscriber);

  /** Forgets every channel, before the root's connections close. */
  @Override
  void close();
}
