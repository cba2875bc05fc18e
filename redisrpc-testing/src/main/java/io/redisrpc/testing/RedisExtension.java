package io.redisrpc.testing;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving each test class one {@link RedisProcess}, usually registered through
 * {@link WithRedis}.
 *
 * <p>The server is started before the class's tests (or on first use) with {@link
 * RedisProcess#start()}, injected into every parameter of type {@link RedisProcess}, and closed
 * after the class. It is kept in the class's {@link ExtensionContext.Store}, so JUnit closes it
 * even if {@link #afterAll(ExtensionContext)} is not reached. {@code @Nested} classes share the
 * server of their enclosing class.
 */
public final class RedisExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisExtension.class);
  private static final String KEY = "redis-process";

  /** Creates the extension; JUnit does so through {@link WithRedis} or {@code @ExtendWith}. */
  public RedisExtension() {}

  /**
   * Starts the class's server unless an enclosing class already has one.
   *
   * @param context the class's context
   * @throws IllegalStateException if the server does not start
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    Objects.requireNonNull(context, "context == null");
    redis(context);
  }

  /**
   * Stops the server started for this class, if any, and deletes its files.
   *
   * @param context the class's context
   */
  @Override
  public void afterAll(ExtensionContext context) {
    Objects.requireNonNull(context, "context == null");
    Server server = context.getStore(NAMESPACE).remove(KEY, Server.class);
    if (server != null) {
      server.close();
    }
  }

  /**
   * Tells whether the parameter is of type {@link RedisProcess}.
   *
   * @param parameterContext the parameter
   * @param extensionContext the current context
   * @return {@code true} for parameters of type {@link RedisProcess}
   */
  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Objects.requireNonNull(parameterContext, "parameterContext == null");
    Objects.requireNonNull(extensionContext, "extensionContext == null");
    return parameterContext.getParameter().getType() == RedisProcess.class;
  }

  /**
   * Returns the test class's server, starting it if needed.
   *
   * @param parameterContext the parameter
   * @param extensionContext the current context
   * @return the running server of the current test class
   * @throws IllegalStateException if the server does not start
   */
  @Override
  public RedisProcess resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Objects.requireNonNull(parameterContext, "parameterContext == null");
    Objects.requireNonNull(extensionContext, "extensionContext == null");
    return redis(extensionContext);
  }

  private static RedisProcess redis(ExtensionContext context) {
    // Looks through the enclosing contexts too, so @Nested classes share their outer server.
    Server existing = context.getStore(NAMESPACE).get(KEY, Server.class);
    if (existing != null) {
      return existing.process;
    }
    ExtensionContext owner = context;
    while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
      owner = owner.getParent().get();
    }
    return owner
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(KEY, key -> new Server(RedisProcess.start()), Server.class)
        .process;
  }

  /** Store value closing the server; both interfaces so that any JUnit 5 version closes it. */
  @SuppressWarnings("deprecation")
  private static final class Server
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final RedisProcess process;

    Server(RedisProcess process) {
      this.process = process;
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
