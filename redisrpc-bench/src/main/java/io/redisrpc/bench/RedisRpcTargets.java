package io.redisrpc.bench;

import io.redisrpc.Codec;
import io.redisrpc.RedisRpc;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcServer;
import io.redisrpc.RpcService;
import java.nio.charset.StandardCharsets;
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
 * (at-least-once) endpoints; with {@code signed}, a fifth: MessagePack default endpoints with every
 * message signed under a 32-byte shared secret ({@code sharedSecret} of both builders), served by a
 * server of its own ({@link BenchEcho#SIGNED_SHARDS}), since a server with a secret refuses
 * unsigned requests.
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

  /** The shared secret of the signed target: 32 bytes, as a user would choose one. */
  private static final byte[] SECRET =
      "redisrpc-bench shared secret 32B".getBytes(StandardCharsets.US_ASCII);

  /**
   * The targets on {@code redis}, for up to {@code maxInFlight} calls in flight, serving {@code
   * services} (of {@link BenchEcho#SHARDS}; only {@link BenchEcho} outside a cluster); with {@code
   * signedServices} (of {@link BenchEcho#SIGNED_SHARDS}, the same number) not empty, the signed
   * target too.
   */
  RedisRpcTargets(
      RedisDeployment redis,
      int maxInFlight,
      List<Class<? extends BenchEcho>> services,
      List<Class<? extends BenchEcho>> signedServices) {
    this.root = redis.isCluster() ? RedisRpc.create(redis.uri()) : null;
    try {
      BenchEcho.Impl impl = new BenchEcho.Impl();
      for (Class<? extends BenchEcho> service : services) {
        servers.add(serve(service, impl, maxInFlight, redis, null));
        if (redis.isCluster()) {
          placement.put(name(service), owner(redis, service).address());
        }
      }
      for (Codec codec : List.of(Codec.MSGPACK, Codec.JSON)) {
        List<BenchEcho> proxies = proxies(services, codec, redis, null);
        targets.add(new RpcTarget(codec, Kind.DEFAULT, proxies, new AtomicInteger()));
        targets.add(new RpcTarget(codec, Kind.IDEMPOTENT, proxies, new AtomicInteger()));
      }
      if (!signedServices.isEmpty()) {
        for (Class<? extends BenchEcho> service : signedServices) {
          servers.add(serve(service, impl, maxInFlight, redis, SECRET));
          if (redis.isCluster()) {
            placement.put(name(service), owner(redis, service).address());
          }
        }
        targets.add(
            new RpcTarget(
                Codec.MSGPACK,
                Kind.SIGNED,
                proxies(signedServices, Codec.MSGPACK, redis, SECRET),
                new AtomicInteger()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A client of each of {@code services} ({@code secret}: null for none), and their proxies. */
  private List<BenchEcho> proxies(
      List<Class<? extends BenchEcho>> services,
      Codec codec,
      RedisDeployment redis,
      byte[] secret) {
    List<BenchEcho> proxies = new ArrayList<>();
    for (Class<? extends BenchEcho> service : services) {
      RpcClient<? extends BenchEcho> client = client(service, codec, redis, secret);
      clients.add(client);
      proxies.add(client.proxy());
    }
    return proxies;
  }

  private <T extends BenchEcho> RpcServer serve(
      Class<T> service,
      BenchEcho.Impl impl,
      int maxInFlight,
      RedisDeployment redis,
      byte[] secret) {
    RpcServer.Builder<T> builder =
        RpcServer.builder(service, service.cast(impl)).maxConcurrency(Math.max(1, maxInFlight));
    if (secret != null) {
      builder.sharedSecret(secret);
    }
    return root != null ? builder.build().connect(root) : builder.build().connect(redis.uri());
  }

  private <T extends BenchEcho> RpcClient<T> client(
      Class<T> service, Codec codec, RedisDeployment redis, byte[] secret) {
    RpcClient.Builder<T> builder =
        RpcClient.builder(service).codec(codec).timeout(Duration.ofSeconds(30));
    // The loops' continuations never block: complete their futures on the Redis I/O thread that
    // read the reply, as the floor's and NATS's are, rather than hand each to a pool thread.
    builder.callbackExecutor(Runnable::run);
    if (secret != null) {
      builder.sharedSecret(secret);
    }
    RpcClient<T> client = builder.build();
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
      chosen.add(take(redis, primaries.get(i % primaries.size()), unused));
    }
    return chosen;
  }

  /** Takes from {@code unused} the first service on {@code wanted}, else the first one. */
  private static Class<? extends BenchEcho> take(
      RedisDeployment redis,
      RedisDeployment.Primary wanted,
      List<Class<? extends BenchEcho>> unused) {
    Class<? extends BenchEcho> pick = unused.get(0);
    for (Class<? extends BenchEcho> candidate : unused) {
      if (owner(redis, candidate) == wanted) {
        pick = candidate;
        break;
      }
    }
    unused.remove(pick);
    return pick;
  }

  /**
   * For each of {@code services}, a service of {@link BenchEcho#SIGNED_SHARDS} on the same primary
   * where one is left, else the next unused one: the signed system placed as the others are, so
   * that their ratio compares the same spread.
   */
  static List<Class<? extends BenchEcho>> signedAlongside(
      RedisDeployment redis, List<Class<? extends BenchEcho>> services) {
    List<Class<? extends BenchEcho>> unused = new ArrayList<>(BenchEcho.SIGNED_SHARDS);
    List<Class<? extends BenchEcho>> chosen = new ArrayList<>();
    for (Class<? extends BenchEcho> service : services) {
      chosen.add(take(redis, owner(redis, service), unused));
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

  /** The endpoints a target calls: default, idempotent, or default with signed messages. */
  private enum Kind {
    DEFAULT("", "default"),
    IDEMPOTENT("-idem", "idempotent"),
    SIGNED("-signed", "signed");

    final String suffix;
    final String workload;

    Kind(String suffix, String workload) {
      this.suffix = suffix;
      this.workload = workload;
    }
  }

  private record RpcTarget(Codec codecValue, Kind kind, List<BenchEcho> proxies, AtomicInteger next)
      implements Target {
    @Override
    public String id() {
      return "redisrpc-" + codecValue.name() + kind.suffix;
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
      return kind.workload;
    }

    @Override
    public CompletableFuture<byte[]> call(byte[] payload) {
      BenchEcho proxy =
          proxies.size() == 1
              ? proxies.get(0)
              : proxies.get(Math.floorMod(next.getAndIncrement(), proxies.size()));
      return kind == Kind.IDEMPOTENT ? proxy.echoIdempotent(payload) : proxy.echo(payload);
    }
  }
}
