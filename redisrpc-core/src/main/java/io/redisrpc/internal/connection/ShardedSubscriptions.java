package io.redisrpc.internal.connection;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sharded pub/sub (SSUBSCRIBE, Redis 7+) in a Redis Cluster: each channel is subscribed on the
 * primary that owns its slot, over one connection per such primary, and follows its slot when it
 * moves. Redis tells a subscriber that its channel's slot moved away with an unsolicited
 * SUNSUBSCRIBE, which Lettuce does not act on (lettuce#3213); a failover only shows in the
 * topology. Both lead here to a topology refresh and a subscription on the new owner, whose
 * confirmation tells the subscribers that messages may have been missed in between.
 */
final class ShardedSubscriptions implements Subscriptions {
  private static final Logger log = LoggerFactory.getLogger(ShardedSubscriptions.class);

  /** How often every channel's owner is checked against the topology. */
  static final long CHECK_MILLIS = 500;

  private static final long CLOSE_WAIT_MILLIS = 1_000;

  private final ClusterLink link;
  private final ScheduledExecutorService scheduler;
  private final Map<String, SubscribedChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>>>
      nodes = new ConcurrentHashMap<>();
  private final AtomicBoolean reconcileQueued = new AtomicBoolean();
  private final Set<CompletableFuture<Void>> closing = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  ShardedSubscriptions(ClusterLink link, ScheduledExecutorService scheduler) {
    this.link = link;
    this.scheduler = scheduler;
    scheduler.scheduleWithFixedDelay(
        this::reconcileNow, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Void> subscribe(String channel, Subscriber subscriber) {
    try {
      link.commands(); // the topology is known once connected
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    SubscribedChannel ch =
        channels.compute(
            channel,
            (name, existing) -> {
              SubscribedChannel s =
                  existing != null ? existing : new SubscribedChannel(name, ClusterLink.slot(name));
              s.add(subscriber);
              return s;
            });
    reconcile();
    return ch.confirmed();
  }

  @Override
  public void unsubscribe(String channel, Subscriber subscriber) {
    String[] leftAt = {null};
    channels.computeIfPresent(
        channel,
        (name, ch) -> {
          if (!ch.remove(subscriber)) {
            return ch;
          }
          leftAt[0] = ch.node;
          // Whatever Redis says of it from now on, this channel is not wanted any more.
          ch.node = null;
          return null;
        });
    var connection = leftAt[0] == null ? null : nodes.get(leftAt[0]);
    if (connection != null && connection.isDone() && !connection.isCompletedExceptionally()) {
      connection.join().async().sunsubscribe(channel);
    }
    reconcile();
  }

  /** Checks every channel's owner soon, on the scheduler. */
  void reconcile() {
    if (!closed && reconcileQueued.compareAndSet(false, true)) {
      scheduler.execute(this::reconcileNow);
    }
  }

  private void reconcileNow() {
    reconcileQueued.set(false);
    if (closed) {
      return;
    }
    try {
      Set<String> used = new HashSet<>();
      for (SubscribedChannel ch : channels.values()) {
        RedisClusterNode owner = link.owner(ch.slot);
        if (owner == null) {
          // The topology known here has no owner for the slot (a cluster still forming, or a
          // failover under way): read it again rather than wait for the periodic refresh.
          link.refreshTopology();
          continue;
        }
        String ownerId = owner.getNodeId();
        used.add(ownerId);
        String current = ch.node;
        if (ownerId.equals(current)) {
          continue;
        }
        ch.node = ownerId;
        if (current != null) {
          log.debug("{} moves from node {} to {}", ch.name, current, ownerId);
          var old = nodes.get(current);
          if (old != null && old.isDone() && !old.isCompletedExceptionally()) {
            old.join().async().sunsubscribe(ch.name);
          }
        }
        connection(owner)
            .thenCompose(c -> c.async().ssubscribe(ch.name))
            .whenComplete(
                (ok, error) -> {
                  if (error != null) {
                    log.debug("SSUBSCRIBE {} failed: {}", ch.name, error.getMessage());
                    if (ownerId.equals(ch.node)) {
                      ch.node = null; // try again at the next check
                    }
                    link.refreshTopology();
                  }
                });
      }
      for (String node : nodes.keySet()) {
        if (!used.contains(node)) {
          var unused = nodes.remove(node);
          if (unused != null) {
            CompletableFuture<Void> closing =
                unused.thenCompose(StatefulRedisPubSubConnection::closeAsync);
            this.closing.add(closing);
            closing.whenComplete((ok, error) -> this.closing.remove(closing));
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("Checking the owners of subscribed channels failed", e);
    }
  }

  private CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> connection(
      RedisClusterNode node) {
    String nodeId = node.getNodeId();
    var existing = nodes.get(nodeId);
    if (existing != null && !existing.isCompletedExceptionally()) {
      return existing;
    }
    RedisURI uri = link.nodeUri(node);
    CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> opening =
        new CompletableFuture<>();
    link.connectPubSub(uri)
        .thenApply(
            c -> {
              c.addListener(new NodeListener(nodeId));
              c.addListener(
                  new RedisConnectionStateListener() {
                    @Override
                    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                      // Perhaps a failover: the new owner shows in the next topology. A
                      // connection closed because no channel needs it any more says nothing.
                      if (nodes.get(nodeId) == opening && !closed) {
                        link.refreshTopology();
                      }
                    }

                    @Override
                    public void onRedisConnected(
                        RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {}
                  });
              return c;
            })
        .whenComplete(
            (c, error) -> {
              if (error != null) {
                opening.completeExceptionally(error);
              } else {
                opening.complete(c);
              }
            });
    nodes.put(nodeId, opening);
    opening.whenComplete(
        (c, error) -> {
          if (error != null) {
            log.debug("Cannot open a subscription connection to {}: {}", uri, error.getMessage());
            nodes.remove(nodeId, opening);
          }
        });
    return opening;
  }

  /** The events of the subscription connection to one node. */
  private final class NodeListener extends RedisPubSubAdapter<String, byte[]> {
    private final String nodeId;

    NodeListener(String nodeId) {
      this.nodeId = nodeId;
    }

    @Override
    public void smessage(String channel, byte[] message) {
      SubscribedChannel ch = channels.get(channel);
      if (ch != null) {
        ch.onMessage(message);
      }
    }

    @Override
    public void ssubscribed(String channel, long count) {
      SubscribedChannel ch = channels.get(channel);
      if (ch != null && nodeId.equals(ch.node)) {
        ch.onSubscribed();
      }
    }

    @Override
    public void sunsubscribed(String channel, long count) {
      SubscribedChannel ch = channels.get(channel);
      if (ch != null && nodeId.equals(ch.node)) {
        // Not asked for: the channel's slot moved away from this node.
        log.debug("{} was unsubscribed by node {}: its slot moved", channel, nodeId);
        ch.node = null;
        link.refreshTopology().whenComplete((ok, error) -> reconcile());
      }
    }
  }

  /**
   * Stops following the channels; the connections close with their Lettuce client. Waits briefly
   * for connections already being closed, which the client's shutdown would close a second time.
   */
  @Override
  public void close() {
    closed = true;
    channels.clear();
    nodes.clear();
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.debug("Closing subscription connections: {}", e.toString());
    }
  }

  /** For tests: the nodes subscription connections are open to. */
  int connectionCount() {
    return nodes.size();
  }
}
