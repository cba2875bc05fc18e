package io.redisrpc.internal.connection;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One channel a root listens on: its subscribers, and whether Redis has confirmed it yet. */
final class SubscribedChannel {
  private static final Logger log = LoggerFactory.getLogger(SubscribedChannel.class);

  final String name;
  final int slot;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> firstConfirmation = new CompletableFuture<>();

  /** Where the channel is subscribed now (a cluster node's id), or null while nowhere. */
  volatile @org.jspecify.annotations.Nullable String node;

  SubscribedChannel(String name, int slot) {
    this.name = name;
    this.slot = slot;
  }

  void add(Subscriber subscriber) {
    subscribers.add(subscriber);
  }

  /** Removes {@code subscriber}; returns whether none is left. */
  boolean remove(Subscriber subscriber) {
    subscribers.remove(subscriber);
    return subscribers.isEmpty();
  }

  boolean isEmpty() {
    return subscribers.isEmpty();
  }

  /** Completes at the first confirmation by Redis. */
  CompletableFuture<Void> confirmed() {
    return firstConfirmation;
  }

  void fail(Throwable error) {
    firstConfirmation.completeExceptionally(error);
  }

  void onSubscribed() {
    firstConfirmation.complete(null);
    for (Subscriber s : subscribers) {
      try {
        s.onSubscribed();
      } catch (RuntimeException e) {
        log.warn("A subscriber of {} failed on its confirmation", name, e);
      }
    }
  }

  void onMessage(byte[] message) {
    for (Subscriber s : subscribers) {
      try {
        s.onMessage(message);
      } catch (RuntimeException e) {
        log.warn("A subscriber of {} failed on a message", name, e);
      }
    }
  }
}
