package io.redisrpc.topology;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redisrpc.testing.RedisCluster;
import io.redisrpc.testing.RedisProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A running Redis of one {@link Topology}, with what tests do behind the library's back written
 * once for both: commands routed by slot in a cluster, and publishing and listening on channels the
 * way the library does (sharded pub/sub in a cluster, classic pub/sub on one node).
 */
public final class Deployment implements AutoCloseable {
  private final Topology topology;
  private final @Nullable RedisProcess node;
  private final @Nullable RedisCluster cluster;
  private final List<AbstractRedisClient> clients = new ArrayList<>();
  private @Nullable RedisClusterCommands<String, String> commands;

  private Deployment(
      Topology topology, @Nullable RedisProcess node, @Nullable RedisCluster cluster) {
    this.topology = topology;
    this.node = node;
    this.cluster = cluster;
  }

  /** Starts a fresh Redis of {@code topology}: one node, or a cluster of three primaries. */
  public static Deployment start(Topology topology) {
    return topology == Topology.NODE
        ? new Deployment(topology, RedisProcess.start(), null)
        : new Deployment(topology, null, RedisCluster.start(3, 0));
  }

  public Topology topology() {
    return topology;
  }

  /** The URI to give the library: {@code redis://...} or {@code redis-cluster://...}. */
  public String uri() {
    return node != null ? node.uri() : cluster().uri();
  }

  /** A URI of this topology's scheme naming {@code 127.0.0.1:port}, where no Redis may listen. */
  public String uriAt(int port) {
    return (topology == Topology.NODE ? "redis://" : "redis-cluster://") + "127.0.0.1:" + port;
  }

  /** Plain commands, routed by slot in a cluster; the connection is closed with this. */
  public synchronized RedisClusterCommands<String, String> commands() {
    RedisClusterCommands<String, String> c = commands;
    if (c == null) {
      if (node != null) {
        c = track(RedisClient.create(node.uri())).connect().sync();
      } else {
        List<RedisURI> seeds = new ArrayList<>();
        cluster().primaries().forEach(p -> seeds.add(RedisURI.create(p.uri())));
        c = track(RedisClusterClient.create(seeds)).connect().sync();
      }
      commands = c;
    }
    return c;
  }

  /** Redis' clock now, in ms. */
  public long millis() {
    List<String> time = commands().time();
    return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
  }

  /**
   * Publishes {@code message} on {@code channel} as the library does: SPUBLISH in a cluster, else
   * PUBLISH. Returns how many subscribers received it.
   */
  public long publish(String channel, String message) {
    return node != null
        ? commands().publish(channel, message)
        : commands().spublish(channel, message);
  }

  /**
   * The messages published on {@code channel} from now on, as the library publishes them: SUBSCRIBE
   * on the node, or SSUBSCRIBE on the primary owning the channel's slot.
   */
  public synchronized LinkedBlockingQueue<String> listen(String channel) {
    RedisProcess owner = node != null ? node : cluster().primaryOwning(RedisCluster.slot(channel));
    StatefulRedisPubSubConnection<String, String> sub =
        track(RedisClient.create(owner.uri())).connectPubSub();
    LinkedBlockingQueue<String> messages = messagesOf(sub);
    if (node != null) {
      sub.sync().subscribe(channel);
    } else {
      sub.sync().ssubscribe(channel);
    }
    return messages;
  }

  /** The messages {@code connection} receives from now on, on classic or sharded channels. */
  public static LinkedBlockingQueue<String> messagesOf(
      StatefulRedisPubSubConnection<String, String> connection) {
    LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            messages.add(message);
          }

          @Override
          public void smessage(String channel, String message) {
            messages.add(message);
          }
        });
    return messages;
  }

  /** Closes every connection opened here, then stops the Redis. */
  @Override
  public synchronized void close() {
    clients.forEach(c -> c.shutdown(0, 2, TimeUnit.SECONDS));
    clients.clear();
    commands = null;
    if (node != null) {
      node.close();
    } else {
      cluster().close();
    }
  }

  @Override
  public String toString() {
    return topology + " " + uri();
  }

  private <C extends AbstractRedisClient> C track(C client) {
    clients.add(client);
    return client;
  }

  private RedisCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("not a cluster: " + this);
    }
    return cluster;
  }
}
