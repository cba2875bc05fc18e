package io.redisrpc.internal.connection;

/** Receives the messages of one channel. */
public interface Subscriber {
  /** A message arrived on the channel; runs on a Redis I/O thread, so it must be quick. */
  void onMessage(byte[] message);

  /**
   * Redis confirmed the subscription: the first time, and again after each re-subscription (a
   * reconnect, a moved slot), when messages published in between have missed this subscriber.
   */
  default void onSubscribed() {}
}
