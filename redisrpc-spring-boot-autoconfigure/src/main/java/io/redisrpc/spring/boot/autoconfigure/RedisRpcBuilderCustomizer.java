package io.redisrpc.spring.boot.autoconfigure;

import io.redisrpc.RedisRpc;

/**
 * Customizes the builder of the application's {@link RedisRpc} after the properties were applied.
 * Beans of this type are applied in their {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface RedisRpcBuilderCustomizer {
  /**
   * Customizes {@code builder}.
   *
   * @param builder the builder of the application's root
   */
  void customize(RedisRpc.Builder builder);
}
