package io.redisrpc.testing;

import java.util.Objects;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What the fixture extensions share: one fixture of type {@code T} per test class, started before
 * its tests (or on first use), injected into every parameter of that type, closed after the class.
 * It is kept in the class's {@link ExtensionContext.Store}, so JUnit closes it even if {@code
 * afterAll} is not reached; {@code @Nested} classes share the fixture of their enclosing class.
 *
 * @param <T> the fixture
 */
abstract class ClassFixture<T extends AutoCloseable>
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private final Class<T> type;
  private final ExtensionContext.Namespace namespace;
  private final Function<ExtensionContext, T> start;

  /** A fixture of {@code type} made by {@code start} from the test class's context. */
  ClassFixture(Class<T> type, Function<ExtensionContext, T> start) {
    this.type = type;
    this.namespace = ExtensionContext.Namespace.create(getClass());
    this.start = start;
  }

  /**
   * Starts the class's fixture unless an enclosing class already has one.
   *
   * @param context the class's context
   */
  @Override
  public final void beforeAll(ExtensionContext context) {
    Objects.requireNonNull(context, "context == null");
    fixture(context);
  }

  /**
   * Stops the fixture started for this class, if any.
   *
   * @param context the class's context
   */
  @Override
  public final void afterAll(ExtensionContext context) {
    Objects.requireNonNull(context, "context == null");
    Resource<?> resource = context.getStore(namespace).remove(type, Resource.class);
    if (resource != null) {
      resource.close();
    }
  }

  /**
   * Tells whether the parameter is of the fixture's type.
   *
   * @param parameterContext the parameter
   * @param extensionContext the current context
   * @return {@code true} for parameters of the fixture's type
   */
  @Override
  public final boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Objects.requireNonNull(parameterContext, "parameterContext == null");
    Objects.requireNonNull(extensionContext, "extensionContext == null");
    return parameterContext.getParameter().getType() == type;
  }

  /**
   * Returns the test class's fixture, starting it if needed.
   *
   * @param parameterContext the parameter
   * @param extensionContext the current context
   * @return the running fixture of the current test class
   */
  @Override
  public final T resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Objects.requireNonNull(parameterContext, "parameterContext == null");
    Objects.requireNonNull(extensionContext, "extensionContext == null");
    return fixture(extensionContext);
  }

  private T fixture(ExtensionContext context) {
    // Looks through the enclosing contexts too, so @Nested classes share their outer fixture.
    Resource<?> existing = context.getStore(namespace).get(type, Resource.class);
    if (existing != null) {
      return type.cast(existing.fixture);
    }
    ExtensionContext owner = context;
    while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
      owner = owner.getParent().get();
    }
    ExtensionContext classContext = owner;
    Resource<?> resource =
        owner
            .getStore(namespace)
            .getOrComputeIfAbsent(
                type, key -> new Resource<>(start.apply(classContext)), Resource.class);
    return type.cast(resource.fixture);
  }

  /** Store value closing the fixture; both interfaces so that any JUnit 5 version closes it. */
  @SuppressWarnings("deprecation")
  private static final class Resource<T extends AutoCloseable>
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final T fixture;

    Resource(T fixture) {
      this.fixture = fixture;
    }

    @Override
    public void close() {
      try {
        fixture.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + fixture + " failed", e);
      }
    }
  }
}
