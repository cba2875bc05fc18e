package io.redisrpc.spring.boot;

import io.redisrpc.RpcClient;

/**
 * Customizes the builder of every client that {@link RpcClientFactory} creates, after the
 * properties ({@code redisrpc.client.*}) were applied: interceptors, a shared secret, a callback
 * executor... Beans of this type are applied in their {@link org.springframework.core.Ordered
 * order}.
 */
@FunctionalInterface
public interface RpcClientCustomizer {
  /**
   * Customizes {@code builder}, a builder of a client of {@code service}.
   *
   * @param builder the builder
   * @param service the service interface
   */
  void customize(RpcClient.Builder<?> builder, Class<?> service);
}
