package io.redisrpc.internal.transport;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redisrpc.NotConnectedException;
import io.redisrpc.internal.connection.RedisLink;
import io.redisrpc.internal.connection.Subscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where a caller's requests go and its replies come back: one route per partition of the service,
 * each a request stream and a reply channel in the partition's slot, so that a call and its reply
 * touch one primary of a cluster. Calls take the routes in turn. A client subscribes to all its
 * reply channels once, when it connects, and takes the replies parked on each when its subscription
 * is confirmed again.
 */
final class ReplyRoutes {
  /**
   * One partition as a caller uses it.
   *
   * @param keys the partition's names
   * @param replyChannel the caller's reply channel in the partition
   * @param enqueueKeys the keys of ENQUEUE: the stream and the instances of the partition
   */
  record Route(RedisKeys keys, String replyChannel, String[] enqueueKeys, Subscriber subscriber) {}

  private final List<Route> routes = new ArrayList<>();
  private final AtomicLong turn = new AtomicLong();

  /**
   * The routes of client {@code clientId} to the service of {@code partitions}; {@code onReply}
   * gets each reply with the channel it came on, parked ones included.
   */
  ReplyRoutes(
      List<RedisKeys> partitions,
      String clientId,
      Supplier<@Nullable RedisClusterAsyncCommands<String, byte[]>> commands,
      BiConsumer<String, byte[]> onReply,
      BooleanSupplier anyoneWaits) {
    for (RedisKeys keys : partitions) {
      String channel = keys.replyChannel(clientId);
      ParkedReplies parked =
          new ParkedReplies(
              keys.parkedReplies(channel),
              commands,
              message -> onReply.accept(channel, message),
              anyoneWaits);
      routes.add(
          new Route(
              keys,
              channel,
              new String[] {keys.requests(), keys.instances()},
              parked.subscriber()));
    }
  }

  /** The route of the first partition: where broadcast calls are answered. */
  Route first() {
    return routes.get(0);
  }

  /** The route of the next call. */
  Route next() {
    return routes.size() == 1
        ? routes.get(0)
        : routes.get((int) Long.remainderUnsigned(turn.getAndIncrement(), routes.size()));
  }

  /** What a caller is told when ENQUEUE found no live server on {@code route}. */
  String noLiveServer(Route route) {
    String service = route.keys().service();
    if (routes.size() == 1) {
      return "No live server for service " + service + " (remote endpoint not connected)";
    }
    return "No live server for partition "
        + route.keys().partition()
        + " of the "
        + routes.size()
        + " of service "
        + service
        + " (remote endpoint not connected; do its servers declare @RpcService(partitions = "
        + routes.size()
        + ")?)";
  }

  /**
   * Subscribes to every reply channel through {@code link}; returns once Redis confirmed them all.
   *
   * @throws NotConnectedException when Redis cannot be reached in {@code timeout}
   */
  void subscribe(RedisLink link, Duration timeout) {
    List<CompletableFuture<Void>> confirmed = new ArrayList<>();
    for (Route route : routes) {
      confirmed.add(link.subscriptions().subscribe(route.replyChannel(), route.subscriber()));
    }
    try {
      link.awaitSubscription(
          CompletableFuture.allOf(confirmed.toArray(CompletableFuture[]::new)),
          "the reply channels",
          timeout);
    } catch (RuntimeException e) {
      unsubscribe(link);
      throw e;
    }
  }

  /** Leaves every reply channel. */
  void unsubscribe(RedisLink link) {
    for (Route route : routes) {
      link.subscriptions().unsubscribe(route.replyChannel(), route.subscriber());
    }
  }
}
