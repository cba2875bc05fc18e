package io.redisrpc.internal.adapter;

import io.redisrpc.CallAdapter;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import org.jspecify.annotations.Nullable;

/**
 * {@code Mono<T>} and {@code Flux<T>}, when Reactor is on the class path. The types are recognised
 * by name, and the adapters that use Reactor ({@link MonoAdapter}, {@link FluxAdapter}) are loaded
 * only for an endpoint that returns one: without Reactor, nothing of it is ever loaded.
 */
final class ReactorAdapters extends CallAdapter.Factory {
  static final ReactorAdapters INSTANCE = new ReactorAdapters();

  private ReactorAdapters() {}

  @Override
  public @Nullable CallAdapter<?> get(Type returnType, Method method) {
    String name = rawType(returnType).getName();
    boolean mono = name.equals(Publishers.MONO);
    if (!mono && !name.equals(Publishers.FLUX)) {
      return null;
    }
    if (!(returnType instanceof ParameterizedType)) {
      throw new IllegalArgumentException((mono ? "Mono" : "Flux") + " needs a type argument");
    }
    Type valueType = parameterUpperBound(0, (ParameterizedType) returnType);
    return mono ? MonoAdapter.of(valueType) : FluxAdapter.of(valueType);
  }
}
