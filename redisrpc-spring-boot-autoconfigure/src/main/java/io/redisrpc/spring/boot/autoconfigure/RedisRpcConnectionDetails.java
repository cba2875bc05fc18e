package io.redisrpc.spring.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the application's {@link io.redisrpc.RedisRpc} connects: by default {@code
 * redisrpc.redis-url}, else a URI built from {@code spring.data.redis.*}. Define a bean of this
 * type to decide otherwise.
 */
public interface RedisRpcConnectionDetails extends ConnectionDetails {
  /**
   * A redisrpc URI: {@code redis://}, {@code rediss://}, {@code redis-sentinel://...#primary}...
   */
  String getUri();

  /** The ACL user, or null for the URI's (or the default user). */
  default @Nullable String getUsername() {
    return null;
  }

  /** The password, or null for the URI's (or none). */
  default @Nullable String getPassword() {
    return null;
  }
}
