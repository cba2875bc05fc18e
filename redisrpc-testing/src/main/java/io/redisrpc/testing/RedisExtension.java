package io.redisrpc.testing;

/**
 * JUnit 5 extension giving each test class one {@link RedisProcess}, usually registered through
 * {@link WithRedis}.
 *
 * <p>The server is started before the class's tests (or on first use) with {@link
 * RedisProcess#start()}, injected into every parameter of type {@link RedisProcess}, and closed
 * after the class. It is kept in the class's {@link
 * org.junit.jupiter.api.extension.ExtensionContext.Store}, so JUnit closes it even if {@code
 * afterAll} is not reached. {@code @Nested} classes share the server of their enclosing class.
 */
public final class RedisExtension extends ClassFixture<RedisProcess> {
  /** An extension; JUnit creates it from {@link WithRedis}. */
  public RedisExtension() {
    super(RedisProcess.class, context -> RedisProcess.start());
  }
}
