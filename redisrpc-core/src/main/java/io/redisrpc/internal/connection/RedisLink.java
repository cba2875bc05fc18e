package io.redisrpc.internal.connection;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.redisrpc.NotConnectedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one root, shared by all its clients and servers: one command connection
 * (routed by slot in a cluster), the subscriptions, and one blocking connection per served stream.
 * Opened lazily, at the first use; Lettuce reconnects them when they drop. Commands have no timer
 * of their own: calls carry their deadlines, and servers bound what they wait for.
 */
public abstract class RedisLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

  /** Keys and channel names are text, values are the bytes of encoded messages. */
  public static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private static volatile ClientResources resources;

  final RedisTarget target;
  final LinkOptions options;
  final ScheduledExecutorService scheduler;
  private @Nullable RedisClusterAsyncCommands<String, byte[]> commands;
  private volatile boolean closed;

  RedisLink(RedisTarget target, LinkOptions options) {
    this.target = target;
    this.options = options;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "redisrpc-link");
              t.setDaemon(true);
              return t;
            });
  }

  /** The connections to {@code target}, not yet open. */
  public static RedisLink of(RedisTarget target, LinkOptions options) {
    return target.isCluster() ? new ClusterLink(target, options) : new NodeLink(target, options);
  }

  /** The Lettuce threads every root of the JVM shares. */
  static ClientResources resources() {
    ClientResources r = resources;
    if (r == null) {
      synchronized (RedisLink.class) {
        r = resources;
        if (r == null) {
          r = DefaultClientResources.create();
          resources = r;
        }
      }
    }
    return r;
  }

  /** What this link connects to. */
  public RedisTarget target() {
    return target;
  }

  /** Whether channels are sharded (SPUBLISH, SSUBSCRIBE): in a Redis Cluster. */
  public boolean sharded() {
    return target.isCluster();
  }

  /**
   * The shared command connection, opened at the first use.
   *
   * @throws NotConnectedException when Redis cannot be reached
   */
  public synchronized RedisClusterAsyncCommands<String, byte[]> commands() {
    RedisClusterAsyncCommands<String, byte[]> c = commands;
    if (c == null) {
      try {
        c = openCommands();
      } catch (RuntimeException e) {
        throw cannotConnect(e);
      }
      commands = c;
    }
    return c;
  }

  /** Opens the shared command connection. */
  abstract RedisClusterAsyncCommands<String, byte[]> openCommands();

  /** The shared subscriptions. */
  public abstract Subscriptions subscriptions();

  /** A connection of its own for blocking commands on {@code key}; the caller closes it. */
  public BlockingConnection blockingConnection(String key) {
    return new BlockingConnection(this, key);
  }

  /** Publishes {@code message} on {@code channel}: SPUBLISH in a cluster, else PUBLISH. */
  public CompletableFuture<Long> publish(String channel, byte[] message) {
    RedisClusterAsyncCommands<String, byte[]> c;
    try {
      c = commands();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return (sharded() ? c.spublish(channel, message) : c.publish(channel, message))
        .toCompletableFuture();
  }

  /** Reads the topology again (a cluster's); completes at once elsewhere. */
  public CompletableFuture<Void> refreshTopology() {
    return CompletableFuture.completedFuture(null);
  }

  /** The node that owns {@code key} now. */
  abstract RedisURI nodeFor(String key);

  /** Opens a connection of its own to {@code node}. */
  abstract CompletableFuture<StatefulRedisConnection<String, byte[]>> connect(RedisURI node);

  /** Opens a pub/sub connection of its own to {@code node}. */
  abstract CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> connectPubSub(
      RedisURI node);

  /** The shared commands sent to {@code node} itself, not routed by slot. */
  abstract CompletableFuture<RedisClusterAsyncCommands<String, byte[]>> commandsAt(RedisURI node);

  /** Whether {@code error} says a key or slot is served elsewhere now, or is being moved. */
  public static boolean isRedirect(Throwable error) {
    String m = String.valueOf(unwrap(error).getMessage());
    return m.startsWith("MOVED")
        || m.startsWith("ASK")
        || m.startsWith("TRYAGAIN")
        || m.startsWith("CLUSTERDOWN");
  }

  static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /**
   * The options every Lettuce client of a root has; {@code builder} is then built by the caller.
   */
  <B extends ClientOptions.Builder> B configure(B builder) {
    builder
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(
            SocketOptions.builder()
                .connectTimeout(options.connectTimeout())
                .keepAlive(true)
                .build())
        // Every call has its own deadline timer: a second timer per Redis command would only cost.
        .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build());
    if (options.trustedCertificates() != null) {
      builder.sslOptions(
          SslOptions.builder().trustManager(options.trustedCertificates().toFile()).build());
    }
    return builder;
  }

  /**
   * {@code uri}, a URI of the caller's own (from {@link RedisTarget#freshUris()}), given the root's
   * credentials when the builder gave any. Changed in place: copying a Sentinel URI through
   * Lettuce's builder loses its sentinels.
   */
  RedisURI withCredentials(RedisURI uri) {
    String user = options.username();
    char[] password = options.password();
    if (user != null) {
      uri.setCredentialsProvider(
          io.lettuce.core.RedisCredentialsProvider.from(
              () -> io.lettuce.core.RedisCredentials.just(user, password)));
    } else if (password != null) {
      uri.setPassword(password);
    }
    return uri;
  }

  /**
   * Waits for Redis to confirm the subscription to {@code channels}.
   *
   * @throws NotConnectedException when it fails, or is not confirmed within {@code timeout}
   */
  public void awaitSubscription(CompletableFuture<?> confirmed, String channels, Duration timeout) {
    try {
      confirmed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotConnectedException("Interrupted while connecting", e);
    } catch (TimeoutException e) {
      throw cannotConnect(
          new TimeoutException(
              "Redis did not confirm the subscription to "
                  + channels
                  + " within "
                  + timeout.toMillis()
                  + " ms"));
    } catch (ExecutionException e) {
      throw cannotConnect(e.getCause() == null ? e : e.getCause());
    }
  }

  /** The exception for a failed connection attempt, without a password. */
  public NotConnectedException cannotConnect(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new NotConnectedException(
        "Cannot connect to Redis at " + target.text() + ": " + root.getMessage(), cause);
  }

  /** Whether {@link #close()} was called. */
  boolean isClosed() {
    return closed;
  }

  /** Closes every connection; commands still in flight fail. */
  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    try {
      // A check of the subscriptions under way may still close a connection: let it finish.
      scheduler.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      closeConnections();
    } catch (RuntimeException e) {
      log.debug("Closing the connections to {} failed: {}", target.text(), e.getMessage());
    }
  }

  abstract void closeConnections();
}
