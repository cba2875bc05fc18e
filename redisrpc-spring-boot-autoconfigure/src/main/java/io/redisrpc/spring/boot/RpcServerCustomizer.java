package io.redisrpc.spring.boot;

import io.redisrpc.RpcServer;

/**
 * Customizes the builder of every server that {@link RpcServerLifecycle} creates, after the
 * properties ({@code redisrpc.server.*}) were applied: interceptors, a shared secret, an
 * executor... Beans of this type are applied in their {@link org.springframework.core.Ordered
 * order}.
 */
@FunctionalInterface
public interface RpcServerCustomizer {
  /**
   * Customizes {@code builder}, a builder of a server of {@code service}.
   *
   * @param builder the builder
   * @param service the service interface served
   */
  void customize(RpcServer.Builder<?> builder, Class<?> service);
}
