package io.redisrpc;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Turns an endpoint's declared return type into the call on the client, and the handler's return
 * value into the reply on the server: {@code T} (the caller blocks), {@code CompletableFuture<T>},
 * {@code CompletionStage<T>} and, with Reactor on the class path, {@code Mono<T>} are built in. Add
 * a {@link Factory} for other types (RxJava, Kotlin's {@code Deferred}, your own) to {@link
 * RpcClient.Builder#addCallAdapterFactory} and {@link RpcServer.Builder#addCallAdapterFactory}.
 *
 * <p>Streams of items ({@code Flow.Publisher<T>}, and {@code Flux<T>} with Reactor) are built in
 * too, but not through this interface, which adapts calls of one result: a factory cannot add a
 * streaming type.
 *
 * <p>Each endpoint's adapter is chosen once, when the client or server is built: the factories
 * added are asked first, in the order they were added, then the built-in ones; the first that does
 * not answer null adapts the endpoint.
 *
 * @param <T> the type of the result value that travels on the wire ({@link #resultType()})
 */
public interface CallAdapter<T> {
  /**
   * The type of the value the reply carries, which the codec encodes and decodes: {@code Integer}
   * for {@code Mono<Integer>}, {@code Void} for none.
   */
  Type resultType();

  /**
   * What the proxy method returns for {@code call} (client side). Blocking adapters return {@code
   * call.execute()}; asynchronous ones wrap {@code call.start()}, lazily or not.
   *
   * @throws Exception what {@link RemoteCall#execute()} throws, for blocking adapters
   */
  @Nullable Object adapt(RemoteCall<T> call) throws Exception;

  /**
   * The reply of a handler that returned {@code returned} (server side): a completed stage for a
   * blocking endpoint, the stage or a bridge to it for an asynchronous one. Cancelling the stage
   * (the caller gave up, or the deadline passed) should stop the work behind it. Called on the
   * handler's thread while the call's {@link CallContext} is current. For adapters that are not
   * {@link #blocking()}, {@code returned} is never null: the server answers {@link
   * StatusCode#INTERNAL} for a handler that returned null instead of its future.
   */
  CompletionStage<T> toStage(@Nullable Object returned);

  /**
   * Whether the handler's method blocks until its result is ready. The server runs blocking
   * handlers on its handler threads, and the others where the request was read, which they must not
   * block. False by default.
   */
  default boolean blocking() {
    return false;
  }

  /**
   * Creates adapters for the return types it knows, and answers null for the others, as Retrofit's
   * {@code CallAdapter.Factory} does.
   */
  abstract class Factory {
    /** For subclasses. */
    protected Factory() {}

    /**
     * The adapter of {@code method}'s return type {@code returnType}, or null when this factory
     * does not handle it.
     *
     * @throws IllegalArgumentException when the type is this factory's but unusable (say, a raw
     *     {@code Mono}); the message, after the return type and the method, says why
     */
    public abstract @Nullable CallAdapter<?> get(Type returnType, Method method);

    /**
     * The upper bound of type argument {@code index} of {@code type}: {@code String} for {@code
     * Mono<? extends String>}.
     */
    protected static Type parameterUpperBound(int index, ParameterizedType type) {
      Objects.requireNonNull(type, "type == null");
      Type[] arguments = type.getActualTypeArguments();
      if (index < 0 || index >= arguments.length) {
        throw new IllegalArgumentException(
            "Index " + index + " not in range [0," + arguments.length + ") for " + type);
      }
      Type argument = arguments[index];
      if (argument instanceof WildcardType) {
        return ((WildcardType) argument).getUpperBounds()[0];
      }
      return argument;
    }

    /** The class of {@code type}: {@code List} for {@code List<String>}. */
    protected static Class<?> rawType(Type type) {
      Objects.requireNonNull(type, "type == null");
      if (type instanceof Class<?>) {
        return (Class<?>) type;
      }
      if (type instanceof ParameterizedType) {
        return (Class<?>) ((ParameterizedType) type).getRawType();
      }
      if (type instanceof GenericArrayType) {
        Type component = ((GenericArrayType) type).getGenericComponentType();
        return java.lang.reflect.Array.newInstance(rawType(component), 0).getClass();
      }
      if (type instanceof TypeVariable<?>) {
        return Object.class;
      }
      if (type instanceof WildcardType) {
        return rawType(((WildcardType) type).getUpperBounds()[0]);
      }
      throw new IllegalArgumentException("Unexpected type " + type + " of " + type.getClass());
    }
  }
}
