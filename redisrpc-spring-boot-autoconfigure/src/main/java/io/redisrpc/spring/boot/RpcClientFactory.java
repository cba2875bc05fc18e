package io.redisrpc.spring.boot;

import io.redisrpc.RedisRpc;
import io.redisrpc.RpcClient;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Builds clients the way the application configured them, and connects them through its {@link
 * RedisRpc}: each {@link RpcClientCustomizer} in order (the auto-configuration's first one applies
 * {@code redisrpc.client.*}). {@link EnableRpcClients} proxies come from here; inject it to create
 * clients of your own, which you then close.
 */
public class RpcClientFactory {
  private final RedisRpc redis;
  private final List<RpcClientCustomizer> customizers;
  private final List<RpcClient<?>> created = new CopyOnWriteArrayList<>();

  /**
   * A factory connecting through {@code redis}.
   *
   * @param redis the application's root
   * @param customizers applied in this order to every builder
   */
  public RpcClientFactory(RedisRpc redis, List<RpcClientCustomizer> customizers) {
    this.redis = Objects.requireNonNull(redis, "redis == null");
    this.customizers = List.copyOf(customizers);
  }

  /**
   * A client of {@code service}, customized and connected.
   *
   * @throws io.redisrpc.NotConnectedException when Redis cannot be reached
   */
  public <T> RpcClient<T> create(Class<T> service) {
    RpcClient.Builder<T> builder = RpcClient.builder(service);
    for (RpcClientCustomizer customizer : customizers) {
      customizer.customize(builder, service);
    }
    RpcClient<T> client = builder.build().connect(redis);
    created.add(client);
    return client;
  }

  /** The clients this factory created, closed ones included. */
  public List<RpcClient<?>> clients() {
    return List.copyOf(created);
  }

  /** The root clients connect through. */
  public RedisRpc redisRpc() {
    return redis;
  }
}
