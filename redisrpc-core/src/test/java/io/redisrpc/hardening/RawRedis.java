package io.redisrpc.hardening;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redisrpc.topology.Deployment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A plain connection to a test's Redis, for what a test does behind the library's back. */
final class RawRedis implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final List<StatefulRedisPubSubConnection<String, String>> subscriptions =
      new CopyOnWriteArrayList<>();

  private RawRedis(String uri) {
    this.client = RedisClient.create(uri);
    this.connection = client.connect();
  }

  static RawRedis connect(String uri) {
    return new RawRedis(uri);
  }

  RedisCommands<String, String> sync() {
    return connection.sync();
  }

  /** Redis' clock now, in ms. */
  long millis() {
    List<String> time = sync().time();
    return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
  }

  /**
   * A JSON request payload as a client written by hand would make it: call {@code id} of {@code
   * method} with the one string argument {@code argument}, answered on {@code replyTo}.
   */
  static String request(
      String id, String replyTo, String method, long timeoutMillis, String argument) {
    return "{\"id\":\""
        + id
        + "\",\"reply_to\":\""
        + replyTo
        + "\",\"method\":\""
        + method
        + "\",\"timeout_ms\":"
        + timeoutMillis
        + ",\"args\":[\""
        + argument
        + "\"]}";
  }

  /** The messages published on {@code channel} from now on, as they arrive. */
  LinkedBlockingQueue<String> listen(String channel) {
    StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
    subscriptions.add(sub);
    LinkedBlockingQueue<String> messages = Deployment.messagesOf(sub);
    sub.sync().subscribe(channel);
    return messages;
  }

  @Override
  public void close() {
    subscriptions.forEach(StatefulRedisPubSubConnection::close);
    connection.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
