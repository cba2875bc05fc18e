package io.redisrpc.internal.transport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redisrpc.NotConnectedException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a client of either protocol holds: a connection subscribed to its reply channel and one for
 * commands, opened together so that no reply can come before someone listens.
 *
 * @param client the Lettuce client owning both connections
 * @param replies the connection subscribed to the reply channel
 * @param commands the connection requests are sent on
 */
public record ClientConnections(
    RedisClient client,
    StatefulRedisPubSubConnection<String, byte[]> replies,
    StatefulRedisConnection<String, byte[]> commands) {

  /** {@link #open(RedisURI, String, Consumer, Runnable, Duration, Duration)} without a hook. */
  public static ClientConnections open(
      RedisURI uri,
      String replyChannel,
      Consumer<byte[]> onReply,
      Duration connectTimeout,
      @Nullable Duration commandTimeout) {
    return open(uri, replyChannel, onReply, () -> {}, connectTimeout, commandTimeout);
  }

  /**
   * Connects to {@code uri}, subscribes to {@code replyChannel} with {@code onReply} as listener
   * and returns once subscribed; a null {@code commandTimeout} leaves commands without a timer.
   * {@code onSubscribed} runs each time Redis confirms the subscription: the first time, and again
   * whenever Lettuce subscribes anew after the connection was lost, when replies published in
   * between have missed this client.
   *
   * @throws NotConnectedException when Redis cannot be reached within {@code connectTimeout}
   */
  public static ClientConnections open(
      RedisURI uri,
      String replyChannel,
      Consumer<byte[]> onReply,
      Runnable onSubscribed,
      Duration connectTimeout,
      @Nullable Duration commandTimeout) {
    RedisClient c = RedisConnector.client(uri, commandTimeout);
    try {
      StatefulRedisPubSubConnection<String, byte[]> sub = c.connectPubSub(RedisConnector.CODEC);
      sub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
              onReply.accept(message);
            }

            @Override
            public void subscribed(String channel, long count) {
              if (channel.equals(replyChannel)) {
                onSubscribed.run();
              }
            }
          });
      StatefulRedisConnection<String, byte[]> cmd = c.connect(RedisConnector.CODEC);
      sub.async().subscribe(replyChannel).get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ClientConnections(c, sub, cmd);
    } catch (RuntimeException | ExecutionException | TimeoutException e) {
      RedisConnector.shutdown(c);
      throw RedisConnector.cannotConnect(uri, e);
    } catch (InterruptedException e) {
      RedisConnector.shutdown(c);
      Thread.currentThread().interrupt();
      throw new NotConnectedException("Interrupted while connecting", e);
    }
  }
}
