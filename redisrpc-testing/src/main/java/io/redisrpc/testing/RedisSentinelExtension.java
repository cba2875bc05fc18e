package io.redisrpc.testing;

/**
 * JUnit 5 extension giving each test class one {@link RedisSentinel} set, registered through {@link
 * WithRedisSentinel}. Started before the class's tests, injected into every parameter of type
 * {@link RedisSentinel}, closed after the class; {@code @Nested} classes share the set of their
 * enclosing class.
 */
public final class RedisSentinelExtension extends ClassFixture<RedisSentinel> {
  /** An extension; JUnit creates it from {@link WithRedisSentinel}. */
  public RedisSentinelExtension() {
    super(RedisSentinel.class, context -> RedisSentinel.start());
  }
}
