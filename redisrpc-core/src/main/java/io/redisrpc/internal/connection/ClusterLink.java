package io.redisrpc.internal.connection;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of a root on a Redis Cluster: Lettuce's cluster connection routes each command by
 * the hash slot of its first key and follows MOVED and ASK redirects; the topology is read again
 * periodically and on every sign of change. Subscriptions are sharded, and blocking reads go to the
 * owner of their key's slot.
 */
final class ClusterLink extends RedisLink {
  private static final Logger log = LoggerFactory.getLogger(ClusterLink.class);

  /** Refreshes asked for within this time of the last one are merged into it. */
  private static final long MIN_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** How long closing waits for a topology refresh under way. */
  private static final long REFRESH_DRAIN_MILLIS = 2_000;

  private final RedisClusterClient cluster;
  private final RedisClient nodes;
  private final ShardedSubscriptions subscriptions;
  private final AtomicLong lastRefresh = new AtomicLong(System.nanoTime() - MIN_REFRESH_NANOS);
  private volatile @Nullable CompletableFuture<Void> refreshing;
  private @Nullable StatefulRedisClusterConnection<String, byte[]> connection;

  ClusterLink(RedisTarget target, LinkOptions options) {
    super(target, options);
    List<RedisURI> seeds = new ArrayList<>();
    for (RedisURI seed : target.freshUris()) {
      seeds.add(withCredentials(seed));
    }
    this.cluster = RedisClusterClient.create(resources(), seeds);
    Duration period = options.topologyRefresh();
    cluster.setOptions(
        configure(ClusterClientOptions.builder())
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(period)
                    .enableAllAdaptiveRefreshTriggers()
                    .adaptiveRefreshTriggersTimeout(Duration.ofMillis(100))
                    .build())
            .build());
    this.nodes = RedisClient.create(resources());
    nodes.setOptions(configure(ClientOptions.builder()).build());
    this.subscriptions = new ShardedSubscriptions(this, scheduler);
  }

  /** The hash slot of {@code key}. */
  static int slot(String key) {
    return SlotHash.getSlot(key);
  }

  @Override
  synchronized RedisClusterAsyncCommands<String, byte[]> openCommands() {
    StatefulRedisClusterConnection<String, byte[]> c = cluster.connect(CODEC);
    connection = c;
    return c.async();
  }

  @Override
  public Subscriptions subscriptions() {
    return subscriptions;
  }

  /** The primary that owns {@code slot} in the topology known now, or null while none does. */
  @Nullable RedisClusterNode owner(int slot) {
    return cluster.getPartitions().getMasterBySlot(slot);
  }

  /** The URI of {@code node}, with the seeds' TLS settings and credentials. */
  RedisURI nodeUri(RedisClusterNode node) {
    RedisURI announced = node.getUri();
    return withCredentials(
        RedisURI.builder(target.uris().get(0))
            .withHost(announced.getHost())
            .withPort(announced.getPort())
            .build());
  }

  @Override
  RedisURI nodeFor(String key) {
    commands(); // the topology is known once connected
    RedisClusterNode owner = owner(slot(key));
    if (owner == null) {
      refreshTopology();
      throw new IllegalStateException("CLUSTERDOWN no node serves the slot of " + key + " now");
    }
    return nodeUri(owner);
  }

  @Override
  public CompletableFuture<Void> refreshTopology() {
    if (isClosed()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> current = refreshing;
    if (current != null && !current.isDone()) {
      return current;
    }
    long last = lastRefresh.get();
    if (System.nanoTime() - last < MIN_REFRESH_NANOS && current != null) {
      return current;
    }
    lastRefresh.set(System.nanoTime());
    CompletableFuture<Void> next =
        cluster
            .refreshPartitionsAsync()
            .toCompletableFuture()
            .whenComplete(
                (ok, error) -> {
                  if (error != null) {
                    log.debug("Reading the cluster topology failed: {}", error.getMessage());
                  }
                  subscriptions.reconcile();
                });
    refreshing = next;
    return next;
  }

  @Override
  CompletableFuture<StatefulRedisConnection<String, byte[]>> connect(RedisURI node) {
    return nodes.connectAsync(CODEC, node).toCompletableFuture();
  }

  @Override
  CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> connectPubSub(RedisURI node) {
    return nodes.connectPubSubAsync(CODEC, node).toCompletableFuture();
  }

  @Override
  CompletableFuture<RedisClusterAsyncCommands<String, byte[]>> commandsAt(RedisURI node) {
    StatefulRedisClusterConnection<String, byte[]> c;
    synchronized (this) {
      c = connection;
    }
    if (c == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
    }
    return c.getConnectionAsync(node.getHost(), node.getPort())
        .thenApply(StatefulRedisConnection::async);
  }

  @Override
  void closeConnections() {
    subscriptions.close();
    cluster.suspendTopologyRefresh();
    // A refresh under way would open connections on event loops that shut down with the client.
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REFRESH_DRAIN_MILLIS);
    while (cluster.isTopologyRefreshInProgress() && System.nanoTime() < until) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    StatefulRedisClusterConnection<String, byte[]> c;
    synchronized (this) {
      c = connection;
      connection = null;
    }
    if (c != null) {
      // Closed before the client shuts down, which would otherwise close its node connections
      // a second time.
      c.close();
    }
    nodes.shutdown(0, 2, TimeUnit.SECONDS);
    cluster.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
