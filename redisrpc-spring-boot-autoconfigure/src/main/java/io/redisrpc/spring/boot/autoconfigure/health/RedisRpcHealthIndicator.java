package io.redisrpc.spring.boot.autoconfigure.health;

import io.redisrpc.RedisRpc;
import io.redisrpc.RpcClient;
import io.redisrpc.RpcRegistry;
import io.redisrpc.RpcServer;
import io.redisrpc.ServiceStats;
import io.redisrpc.spring.boot.RpcClientFactory;
import io.redisrpc.spring.boot.RpcServerLifecycle;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of redisrpc: Redis answers, and each service this application serves has this instance
 * registered (visible to callers through {@link RpcRegistry}). Details: the URI, per served service
 * its live instances, whether this one is among them, its calls in flight and its queue (length,
 * waiting, running, oldest waiting); per called service its live instances. A called service
 * without live instances does not make this application down.
 */
public class RedisRpcHealthIndicator extends AbstractHealthIndicator {
  private final RedisRpc redis;
  private final @Nullable RpcServerLifecycle servers;
  private final @Nullable RpcClientFactory clients;
  private final Duration timeout;

  /**
   * The health of {@code redis}, the servers of {@code servers} and the clients of {@code clients}.
   *
   * @param timeout how long each read from Redis may take
   */
  public RedisRpcHealthIndicator(
      RedisRpc redis,
      @Nullable RpcServerLifecycle servers,
      @Nullable RpcClientFactory clients,
      Duration timeout) {
    super("redisrpc health check failed");
    this.redis = Objects.requireNonNull(redis, "redis == null");
    this.servers = servers;
    this.clients = clients;
    this.timeout = Objects.requireNonNull(timeout, "timeout == null");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    builder.withDetail("uri", redis.uri());
    try (RpcRegistry registry = RpcRegistry.connect(redis, timeout)) {
      List<RpcServer> served = servers == null ? List.of() : servers.servers();
      Map<String, Object> services = new TreeMap<>();
      List<String> unregistered = new java.util.ArrayList<>();
      for (RpcServer server : served) {
        if (!server.protocol().isNative()) {
          continue; // aioredis-rpc servers do not register
        }
        ServiceStats stats = registry.stats(server.serviceName());
        boolean registered =
            stats.instances().stream().anyMatch(i -> i.id().equals(server.instanceId()));
        if (!registered) {
          unregistered.add(server.serviceName());
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("instance", server.instanceId());
        detail.put("registered", registered);
        detail.put("instances", stats.instances().size());
        detail.put("inFlight", server.inFlight());
        Map<String, Object> queue = new LinkedHashMap<>();
        queue.put("length", stats.queueLength());
        queue.put("waiting", stats.waiting());
        queue.put("running", stats.running());
        stats.oldestWaiting().ifPresent(d -> queue.put("oldestWaiting", d.toString()));
        detail.put("queue", queue);
        services.put(server.serviceName(), detail);
      }
      Map<String, Object> called = new TreeMap<>();
      if (clients != null) {
        for (RpcClient<?> client : clients.clients()) {
          if (client.protocol().isNative() && client.isConnected()) {
            called.put(
                client.serviceName(),
                Map.of("instances", registry.instances(client.serviceName()).size()));
          }
        }
      }
      if (served.isEmpty() && called.isEmpty()) {
        registry.services(); // a round trip: Redis answers
      }
      if (!services.isEmpty()) {
        builder.withDetail("served", services);
      }
      if (!called.isEmpty()) {
        builder.withDetail("called", called);
      }
      if (unregistered.isEmpty()) {
        builder.up();
      } else {
        builder.down().withDetail("unregistered", unregistered);
      }
    }
  }
}
