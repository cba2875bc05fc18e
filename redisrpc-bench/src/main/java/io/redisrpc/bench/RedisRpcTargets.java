package io.redisrpc.bench;

import io.redisrpc.Codec;
import io.redisrpc.RedisRpc;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * redisrpc as its users run it: one server of {@link BenchEcho} and one client per codec, all in
 * this JVM. Four targets: JSON and MessagePack, default (at-most-once) and idempotent
 * (at-least-once) endpoints.
 *
 * <p>On one node (or Sentinel's primary) each client and the server connect on their own, with
 * connections of their own. On a Redis Cluster they all connect through one {@link RedisRpc} root,
 * as an application would; with several shards, each shard is a service of its own ({@link
 * BenchEcho#SHARDS}), chosen so that the shards' slots fall on the primaries in turn, with its own
 * server and clients, and each target's calls go to the shards in turn.
 */
final class RedisRpcTargets implements AutoCloseable {
  private final RedisRpc root;
  private final List<RpcServer> servers = new ArrayList<>();
  private final List<RpcClient<?>> clients = new ArrayList<>();
  private final List<Target> targets = new ArrayList<>();
  private final Map<String, String> placement = new LinkedHashMap<>();

  /**
   * The targets on {@code redis}, for up to {@code maxInFlight} calls in flight, serving {@code
   * services} (of {@link BenchEcho#SHARDS}; only {@link BenchEcho} outside a cluster).
   */
  RedisRpcTargets(
      RedisDeployment redis, int maxInFlight, List<Class<? extends BenchEcho>> services) {
    this.root = redis.isCluster() ? RedisRpc.create(redis.uri()) : null;
    try {
      BenchEcho.Impl impl = new BenchEcho.Impl();
      for (Class<? extends BenchEcho> service : services) {
        servers.add(serve(service, impl, maxInFlight, redis));
        if (redis.isCluster()) {
          placement.put(name(service), owner(redis, service).address());
        }
      }
      for (Codec codec : List.of(Codec.MSGPACK, Codec.JSON)) {
        List<BenchEcho> proxies = new ArrayList<>();
        for (Class<? extends BenchEcho> service : services) {
          RpcClient<? extends BenchEcho> client = client(service, codec, redis);
          clients.add(client);
          proxies.add(client.proxy());
        }
        targets.add(new RpcTarget(codec, false, proxies, new AtomicInteger()));
        targets.add(new RpcTarget(codec, true, proxies, new AtomicInteger()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private <T extends BenchEcho> RpcServer serve(
      Class<T> service, BenchEcho.Impl impl, int maxInFlight, RedisDeployment redis) {
    RpcServer.Builder<T> builder =
        RpcServer.builder(service, service.cast(impl)).maxConcurrency(Math.max(1, maxInFlight));
    return root != null ? builder.build().connect(root) : builder.build().connect(redis.uri());
  }

  private <T extends BenchEcho> RpcClient<T> client(
      Class<T> service, Codec codec, RedisDeployment redis) {
    RpcClient<T> client =
        RpcClient.builder(service).codec(codec).timeout(Duration.ofSeconds(30)).build();
    return root != null ? client.connect(root) : client.connect(redis.uri());
  }

  /**
   * {@code count} services of {@link BenchEcho#SHARDS}: {@link BenchEcho} alone for one, else the
   * i-th on the i-th primary (modulo their number) where one of the services' slots is there, else
   * the next unused one.
   */
  static List<Class<? extends BenchEcho>> spread(RedisDeployment redis, int count) {
    if (count == 1) {
      return List.of(BenchEcho.class);
    }
    List<RedisDeployment.Primary> primaries = redis.primaries();
    List<Class<? extends BenchEcho>> unused = new ArrayList<>(BenchEcho.SHARDS);
    List<Class<? extends BenchEcho>> chosen = new ArrayList<>();
    for (int i = 0; i < count && !unused.isEmpty(); i++) {
      RedisDeployment.Primary wanted = primaries.get(i % primaries.size());
      Class<? extends BenchEcho> pick = unused.get(0);
      for (Class<? extends BenchEcho> candidate : unused) {
        if (owner(redis, candidate) == wanted) {
          pick = candidate;
          break;
        }
      }
      unused.remove(pick);
      chosen.add(pick);
    }
    return chosen;
  }

  static String name(Class<?> service) {
    return service.getAnnotation(RpcService.class).value();
  }

  List<Target> targets() {
    return targets;
  }

  /** The primary owning the slot of {@code service}. */
  static RedisDeployment.Primary owner(RedisDeployment redis, Class<? extends BenchEcho> service) {
    return redis.ownerOf("{" + name(service) + "}");
  }

  /** Each service and the primary owning its slot; empty outside a cluster. */
  Map<String, String> placement() {
    return placement;
  }

  @Override
  public void close() {
    for (RpcClient<?> client : clients) {
      client.close();
    }
    for (RpcServer server : servers) {
      server.close();
    }
    if (root != null) {
      root.close();
    }
  }

  private record RpcTarget(
      Codec codecValue, boolean idempotent, List<BenchEcho> proxies, AtomicInteger next)
      implements Target {
    @Override
    public String id() {
      return "redisrpc-" + codecValue.name() + (idempotent ? "-idem" : "");
    }

    @Override
    public String system() {
      return "redisrpc";
    }

    @Override
    public String codec() {
      return codecValue.name();
    }

    @Override
    public String workload() {
      return idempotent ? "idempotent" : "default";
    }

    @Override
    public CompletableFuture<byte[]> call(byte[] payload) {
      BenchEcho proxy =
          proxies.size() == 1
              ? proxies.get(0)
              : proxies.get(Math.floorMod(next.getAndIncrement(), proxies.size()));
      return idempotent ? proxy.echoIdempotent(payload) : proxy.echo(payload);
    }
  }
}
