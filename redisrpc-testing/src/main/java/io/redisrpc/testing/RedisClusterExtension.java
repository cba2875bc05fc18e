package io.redisrpc.testing;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving each test class one {@link RedisCluster}, registered through {@link
 * WithRedisCluster}, whose attributes size it. Started before the class's tests, injected into
 * every parameter of type {@link RedisCluster}, closed after the class; {@code @Nested} classes
 * share the cluster of their enclosing class.
 */
public final class RedisClusterExtension extends ClassFixture<RedisCluster> {
  /** An extension; JUnit creates it from {@link WithRedisCluster}. */
  public RedisClusterExtension() {
    super(RedisCluster.class, RedisClusterExtension::start);
  }

  private static RedisCluster start(ExtensionContext context) {
    WithRedisCluster size =
        context.getTestClass().map(c -> c.getAnnotation(WithRedisCluster.class)).orElse(null);
    return size == null
        ? RedisCluster.start(3, 0)
        : RedisCluster.start(size.primaries(), size.replicas());
  }
}
