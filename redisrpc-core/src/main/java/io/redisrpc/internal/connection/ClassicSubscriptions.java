package io.redisrpc.internal.connection;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classic pub/sub (SUBSCRIBE) over one connection, for one node or a Sentinel set. Lettuce
 * subscribes again after a reconnect, and each confirmation reaches the channel's subscribers.
 */
final class ClassicSubscriptions implements Subscriptions {
  private static final Logger log = LoggerFactory.getLogger(ClassicSubscriptions.class);

  private final Supplier<StatefulRedisPubSubConnection<String, byte[]>> opener;
  private final Map<String, SubscribedChannel> channels = new ConcurrentHashMap<>();
  private @Nullable StatefulRedisPubSubConnection<String, byte[]> connection;

  /** Subscriptions over the connection {@code opener} opens at the first subscription. */
  ClassicSubscriptions(Supplier<StatefulRedisPubSubConnection<String, byte[]>> opener) {
    this.opener = opener;
  }

  private synchronized StatefulRedisPubSubConnection<String, byte[]> connection() {
    StatefulRedisPubSubConnection<String, byte[]> c = connection;
    if (c == null) {
      c = opener.get();
      c.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
              SubscribedChannel ch = channels.get(channel);
              if (ch != null) {
                ch.onMessage(message);
              }
            }

            @Override
            public void subscribed(String channel, long count) {
              SubscribedChannel ch = channels.get(channel);
              if (ch != null) {
                ch.onSubscribed();
              }
            }
          });
      connection = c;
    }
    return c;
  }

  /**
   * Table changes and the commands they need happen under one lock, so that a SUBSCRIBE and an
   * UNSUBSCRIBE of one channel leave in the order the table changed, and the confirmation, which
   * arrives on an I/O thread, always finds the channel in the table.
   */
  @Override
  public synchronized CompletableFuture<Void> subscribe(String channel, Subscriber subscriber) {
    StatefulRedisPubSubConnection<String, byte[]> c;
    try {
      c = connection();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    SubscribedChannel ch = channels.get(channel);
    if (ch == null) {
      SubscribedChannel created = new SubscribedChannel(channel, -1);
      channels.put(channel, created);
      c.async()
          .subscribe(channel)
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  channels.remove(channel, created);
                  created.fail(error);
                }
              });
      ch = created;
    }
    ch.add(subscriber);
    return ch.confirmed();
  }

  @Override
  public synchronized void unsubscribe(String channel, Subscriber subscriber) {
    SubscribedChannel ch = channels.get(channel);
    if (ch == null || !ch.remove(subscriber)) {
      return;
    }
    channels.remove(channel);
    StatefulRedisPubSubConnection<String, byte[]> c = connection;
    if (c != null && c.isOpen()) {
      c.async()
          .unsubscribe(channel)
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  log.debug("Leaving {} failed: {}", channel, error.getMessage());
                }
              });
    }
  }

  /** Forgets the channels; the connection closes with its Lettuce client. */
  @Override
  public synchronized void close() {
    connection = null;
    channels.clear();
  }
}
