package io.redisrpc.topology;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redisrpc.testing.RedisProcess;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A classic pattern subscriber on one node: sees every classic PUBLISH of the cluster. */
final class ClassicListener implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisPubSubConnection<String, String> connection;
  private final List<String> messages = new CopyOnWriteArrayList<>();

  private ClassicListener(RedisProcess node, String pattern) {
    this.client = RedisClient.create(node.uri());
    this.connection = client.connectPubSub();
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String pattern, String channel, String message) {
            messages.add(channel);
          }
        });
    connection.sync().psubscribe(pattern);
  }

  static ClassicListener on(RedisProcess node, String pattern) {
    return new ClassicListener(node, pattern);
  }

  /** The channels of the messages seen so far. */
  List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
