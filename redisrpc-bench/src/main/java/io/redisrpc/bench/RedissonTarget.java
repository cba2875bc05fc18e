package io.redisrpc.bench;

import io.lettuce.core.RedisURI;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.redisson.Redisson;
import org.redisson.api.RFuture;
import org.redisson.api.RRemoteService;
import org.redisson.api.RedissonClient;
import org.redisson.api.RemoteInvocationOptions;
import org.redisson.api.annotation.RRemoteAsync;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SingleServerConfig;
import org.redisson.config.SubscriptionMode;

/**
 * Redisson RemoteService: a server side and a client side, each with its own {@link RedissonClient}
 * on the benchmark's Redis, default options, the async client interface, and as many server workers
 * as callers in flight.
 */
final class RedissonTarget implements Target, AutoCloseable {
  private static final String SERVICE = "redisrpc-bench-echo";

  /** The remote interface. */
  public interface RedissonEcho {
    /** Returns {@code payload}. */
    byte[] echo(byte[] payload);
  }

  /** Its async client form. */
  @RRemoteAsync(RedissonEcho.class)
  public interface RedissonEchoAsync {
    /** Returns {@code payload}. */
    RFuture<byte[]> echo(byte[] payload);
  }

  private final RedissonClient serverSide;
  private final RedissonClient clientSide;
  private final RRemoteService serverService;
  private final RedissonEchoAsync proxy;
  private final String codecName;

  /**
   * Redisson on {@code redis}: one node, or a Redis Cluster from its seeds (reading from and
   * subscribing on primaries only).
   *
   * @throws UnsupportedOperationException for Sentinel, which the bench does not configure
   */
  RedissonTarget(RedisDeployment redis) {
    if (redis.isSentinel()) {
      throw new UnsupportedOperationException(
          "the bench configures Redisson for one node or a cluster, not for Sentinel");
    }
    Config config = config(redis);
    this.serverSide = Redisson.create(config);
    try {
      this.clientSide = Redisson.create(config(redis));
    } catch (RuntimeException e) {
      serverSide.shutdown();
      throw e;
    }
    this.serverService = serverSide.getRemoteService(SERVICE);
    // Redisson's defaults are a 1 s acknowledgement timeout and a 30 s result timeout; the first
    // is raised so that a busy 2-core machine measures slowness rather than failures.
    this.proxy =
        clientSide
            .getRemoteService(SERVICE)
            .get(
                RedissonEchoAsync.class,
                RemoteInvocationOptions.defaults()
                    .expectAckWithin(10, TimeUnit.SECONDS)
                    .expectResultWithin(30, TimeUnit.SECONDS));
    String simple = clientSide.getConfig().getCodec().getClass().getSimpleName();
    this.codecName = simple.replaceFirst("Codec$", "").toLowerCase(Locale.ROOT);
  }

  private static Config config(RedisDeployment redis) {
    Config config = new Config();
    if (redis.isCluster()) {
      ClusterServersConfig cluster =
          config
              .useClusterServers()
              .setReadMode(ReadMode.MASTER)
              .setSubscriptionMode(SubscriptionMode.MASTER);
      for (RedisURI seed : redis.seeds()) {
        cluster.addNodeAddress(address(seed));
      }
      credentials(redis.seeds().get(0), cluster::setUsername, cluster::setPassword);
    } else {
      RedisURI uri = redis.single();
      SingleServerConfig server =
          config.useSingleServer().setAddress(address(uri)).setDatabase(uri.getDatabase());
      credentials(uri, server::setUsername, server::setPassword);
    }
    return config;
  }

  private static String address(RedisURI uri) {
    return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
  }

  /** redis://[user:]password@host: the same credentials as the other systems. */
  private static void credentials(
      RedisURI uri, Consumer<String> username, Consumer<String> password) {
    if (uri.getUsername() != null && !uri.getUsername().isEmpty()) {
      username.accept(uri.getUsername());
    }
    if (uri.getPassword() != null && uri.getPassword().length > 0) {
      password.accept(new String(uri.getPassword()));
    }
  }

  @Override
  public String id() {
    return "redisson";
  }

  @Override
  public String system() {
    return "redisson";
  }

  @Override
  public String codec() {
    return codecName;
  }

  @Override
  public String workload() {
    return "default";
  }

  @Override
  public void beforeWorkload(int inFlight) {
    serverService.register(RedissonEcho.class, payload -> payload, Math.max(1, inFlight));
  }

  @Override
  public void afterWorkload() {
    serverService.deregister(RedissonEcho.class);
  }

  @Override
  public CompletableFuture<byte[]> call(byte[] payload) {
    return proxy.echo(payload).toCompletableFuture();
  }

  @Override
  public void close() {
    clientSide.shutdown();
    serverSide.shutdown();
  }
}
