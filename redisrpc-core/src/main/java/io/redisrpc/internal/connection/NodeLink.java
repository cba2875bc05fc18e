package io.redisrpc.internal.connection;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The connections of a root on one Redis node, or on the primary of a Sentinel set (Lettuce asks
 * the sentinels for the primary at each reconnect, so a failover is followed by reconnecting).
 */
final class NodeLink extends RedisLink {
  private final RedisURI uri;
  private final RedisClient client;
  private final ClassicSubscriptions subscriptions;
  private @Nullable StatefulRedisConnection<String, byte[]> connection;

  NodeLink(RedisTarget target, LinkOptions options) {
    super(target, options);
    this.uri = withCredentials(target.freshUris().get(0));
    this.client = RedisClient.create(resources(), uri);
    client.setOptions(configure(ClientOptions.builder()).build());
    this.subscriptions =
        new ClassicSubscriptions(
            () -> {
              try {
                return client.connectPubSub(CODEC);
              } catch (RuntimeException e) {
                throw cannotConnect(e);
              }
            });
  }

  @Override
  synchronized RedisClusterAsyncCommands<String, byte[]> openCommands() {
    StatefulRedisConnection<String, byte[]> c = client.connect(CODEC);
    connection = c;
    return c.async();
  }

  @Override
  public Subscriptions subscriptions() {
    return subscriptions;
  }

  @Override
  RedisURI nodeFor(String key) {
    return uri;
  }

  @Override
  CompletableFuture<StatefulRedisConnection<String, byte[]>> connect(RedisURI node) {
    return client.connectAsync(CODEC, node).toCompletableFuture();
  }

  @Override
  CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> connectPubSub(RedisURI node) {
    return client.connectPubSubAsync(CODEC, node).toCompletableFuture();
  }

  @Override
  CompletableFuture<RedisClusterAsyncCommands<String, byte[]>> commandsAt(RedisURI node) {
    try {
      return CompletableFuture.completedFuture(commands());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  void closeConnections() {
    subscriptions.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
